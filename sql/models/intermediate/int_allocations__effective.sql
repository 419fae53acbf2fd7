-- How the grants that count are charged: the allocations of int_grants__effective.
with

allocations as (

    select * from {{ ref('stg_polefunds__grant_allocations') }}

),

effective_grants as (

    select * from {{ ref('int_grants__effective') }}

),

final as (

    select
        allocations.grant_id,
        allocations.allocation_index,
        effective_grants.deliberation_id,
        effective_grants.pole_id,
        effective_grants.is_pole_grant,
        effective_grants.kind,
        effective_grants.funding_year,
        effective_grants.needs_review,
        allocations.territory_id,
        allocations.budget,
        allocations.amount_eur

    from allocations
    inner join effective_grants
        on allocations.grant_id = effective_grants.grant_id

)

select * from final
