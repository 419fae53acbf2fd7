{{ config(meta={'dagster': {'ref': {'name': 'funding_by_territory_year'}}}) }}
-- A pôle grant's shares add up to the grant (the normaliser quarantines those that do not),
-- so per year and kind the territories' total is the pôles' total.
with

by_pole as (

    select funding_year, kind, sum(amount_eur) as amount_eur
    from {{ ref('funding_by_pole_year') }}
    group by all

),

by_territory as (

    select funding_year, kind, sum(amount_eur) as amount_eur
    from {{ ref('funding_by_territory_year') }}
    group by all

),

final as (

    select
        coalesce(by_pole.funding_year, by_territory.funding_year) as funding_year,
        coalesce(by_pole.kind, by_territory.kind) as kind,
        by_pole.amount_eur as pole_amount_eur,
        by_territory.amount_eur as territory_amount_eur

    from by_pole
    full outer join by_territory
        on by_pole.funding_year = by_territory.funding_year
        and by_pole.kind = by_territory.kind
    where by_pole.amount_eur is distinct from by_territory.amount_eur

)

select * from final
