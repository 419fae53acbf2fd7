-- Where the pôles' funding is charged: by territory (metropole: the Métropole as a whole),
-- funding year and kind of grant.
with

effective_allocations as (

    select * from {{ ref('int_allocations__effective') }}

),

territories as (

    select * from {{ ref('stg_polefunds__territories') }}

),

pole_allocations as (

    select * from effective_allocations
    where is_pole_grant

),

final as (

    select
        pole_allocations.territory_id,
        territories.territory_name,
        pole_allocations.funding_year,
        pole_allocations.kind,
        cast(sum(pole_allocations.amount_eur) as decimal(14, 2)) as amount_eur,
        {{ under_review('pole_allocations.amount_eur', 'pole_allocations.needs_review') }}
            as amount_under_review_eur

    from pole_allocations
    inner join territories
        on pole_allocations.territory_id = territories.territory_id
    group by all

)

select * from final
