{{ config(meta={'dagster': {'ref': {'name': 'funding_by_pole_lineage_year'}}}) }}
-- Following mergers moves funding between pôles, never loses or doubles it: per year and
-- kind, the lineage mart adds up to the pôle mart.
with

by_pole as (

    select funding_year, kind, sum(amount_eur) as amount_eur, sum(grant_count) as grant_count
    from {{ ref('funding_by_pole_year') }}
    group by all

),

by_lineage as (

    select funding_year, kind, sum(amount_eur) as amount_eur, sum(grant_count) as grant_count
    from {{ ref('funding_by_pole_lineage_year') }}
    group by all

),

final as (

    select
        coalesce(by_pole.funding_year, by_lineage.funding_year) as funding_year,
        coalesce(by_pole.kind, by_lineage.kind) as kind,
        by_pole.amount_eur as pole_amount_eur,
        by_lineage.amount_eur as lineage_amount_eur,
        by_pole.grant_count as pole_grant_count,
        by_lineage.grant_count as lineage_grant_count

    from by_pole
    full outer join by_lineage
        on by_pole.funding_year = by_lineage.funding_year
        and by_pole.kind = by_lineage.kind
    where by_pole.amount_eur is distinct from by_lineage.amount_eur
        or by_pole.grant_count is distinct from by_lineage.grant_count

)

select * from final
