-- The pôles' funding with mergers followed: a grant counts under the pôle its beneficiary had
-- merged into by the funding year (Optitec from 2024 under SCS, Terralia from 2020 under
-- Innov'Alliance), so a series goes on through a merger.
with

effective_grants as (

    select * from {{ ref('int_grants__effective') }}

),

lineage as (

    select * from {{ ref('int_poles__lineage') }}

),

pole_grants as (

    select * from effective_grants
    where is_pole_grant

),

grants_with_lineage as (

    select
        lineage.lineage_pole_id,
        lineage.lineage_pole_name,
        pole_grants.funding_year,
        pole_grants.kind,
        pole_grants.amount_eur,
        pole_grants.needs_review

    from pole_grants
    inner join lineage
        on pole_grants.pole_id = lineage.pole_id
        and pole_grants.funding_year >= coalesce(lineage.from_year, pole_grants.funding_year)
        and pole_grants.funding_year <= coalesce(lineage.to_year, pole_grants.funding_year)

),

final as (

    select
        lineage_pole_id,
        lineage_pole_name,
        funding_year,
        kind,
        cast(sum(amount_eur) as decimal(14, 2)) as amount_eur,
        {{ under_review('amount_eur', 'needs_review') }} as amount_under_review_eur,
        count(*) as grant_count

    from grants_with_lineage
    group by all

)

select * from final
