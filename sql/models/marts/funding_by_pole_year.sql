-- What the Métropole granted each pôle de compétitivité, by funding year and kind of grant.
with

effective_grants as (

    select * from {{ ref('int_grants__effective') }}

),

poles as (

    select * from {{ ref('stg_polefunds__poles') }}

),

pole_grants as (

    select * from effective_grants
    where is_pole_grant

),

final as (

    select
        pole_grants.pole_id,
        poles.pole_name,
        pole_grants.funding_year,
        pole_grants.kind,
        cast(sum(pole_grants.amount_eur) as decimal(14, 2)) as amount_eur,
        {{ under_review('pole_grants.amount_eur', 'pole_grants.needs_review') }}
            as amount_under_review_eur,
        count(*) as grant_count

    from pole_grants
    inner join poles
        on pole_grants.pole_id = poles.pole_id
    group by all

)

select * from final
