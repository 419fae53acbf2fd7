-- Each pôle's funding by the territory it is charged to, funding year and kind of grant.
with

effective_allocations as (

    select * from {{ ref('int_allocations__effective') }}

),

pole_allocations as (

    select * from effective_allocations
    where is_pole_grant

),

final as (

    select
        pole_id,
        territory_id,
        funding_year,
        kind,
        cast(sum(amount_eur) as decimal(14, 2)) as amount_eur,
        {{ under_review('amount_eur', 'needs_review') }} as amount_under_review_eur

    from pole_allocations
    group by all

)

select * from final
