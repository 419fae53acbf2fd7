-- The grants that count: those of adopted acts that no later adopted act replaces.
-- An amending act states the new total of a grant, so it replaces the amended act's grant
-- to the same beneficiary instead of adding to it.
with recursive

grants as (

    select * from {{ ref('stg_polefunds__grants') }}

),

deliberations as (

    select * from {{ ref('stg_polefunds__deliberations') }}

),

-- From each adopted amending act up its amends chain, through acts that were not adopted
-- (they changed nothing), to the act whose grants it replaces: the first adopted one, or the
-- first one missing from the warehouse. The depth bound stops a cycle of codes.
amendment_walk as (

    select
        deliberation_id as amending_deliberation_id,
        amends as target_code,
        1 as depth

    from deliberations
    where outcome = 'adopted'
        and amends is not null

    union all

    select
        amendment_walk.amending_deliberation_id,
        target.amends as target_code,
        amendment_walk.depth + 1 as depth

    from amendment_walk
    inner join deliberations as target
        on amendment_walk.target_code = target.deliberation_code
    where target.outcome is distinct from 'adopted'
        and target.amends is not null
        and amendment_walk.depth < 20

),

amendment_targets as (

    select
        amending_deliberation_id as deliberation_id,
        arg_max(target_code, depth) as replaces_deliberation_code

    from amendment_walk
    group by amending_deliberation_id

),

adopted_grants as (

    select
        grants.grant_id,
        grants.deliberation_id,
        deliberations.deliberation_code,
        grants.grant_index,
        deliberations.session_date,
        deliberations.body,
        deliberations.title,
        deliberations.source_url,
        deliberations.needs_review,
        deliberations.review_status,
        deliberations.correction_file,
        deliberations.document_sha256,
        grants.beneficiary,
        grants.pole_id,
        grants.kind,
        grants.amount_eur,
        grants.funding_year,
        grants.programme_budget_eur,
        amendment_targets.replaces_deliberation_code,
        lower(trim(grants.beneficiary)) as beneficiary_key

    from grants
    inner join deliberations
        on grants.deliberation_id = deliberations.deliberation_id
    left join amendment_targets
        on grants.deliberation_id = amendment_targets.deliberation_id
    where deliberations.outcome = 'adopted'

),

-- A grant is replaced by a grant to the same beneficiary (the same pôle; for others the same
-- name) of an act that amends its act, or of a later act amending the same act as its own.
-- Two equality joins, not one join on an `or`: the `or` made a nested loop over every pair
-- of grants (seconds at 25,000 grants), the equalities are hash joins.
replacement_pairs as (

    select
        replaced.grant_id as replaced_grant_id,
        replacing.grant_id as replacing_grant_id,
        replaced.pole_id as replaced_pole_id,
        replacing.pole_id as replacing_pole_id,
        replaced.beneficiary_key as replaced_beneficiary_key,
        replacing.beneficiary_key as replacing_beneficiary_key

    from adopted_grants as replaced
    inner join adopted_grants as replacing
        on replacing.replaces_deliberation_code = replaced.deliberation_code
    where replacing.deliberation_id != replaced.deliberation_id

    union all

    select
        replaced.grant_id as replaced_grant_id,
        replacing.grant_id as replacing_grant_id,
        replaced.pole_id as replaced_pole_id,
        replacing.pole_id as replacing_pole_id,
        replaced.beneficiary_key as replaced_beneficiary_key,
        replacing.beneficiary_key as replacing_beneficiary_key

    from adopted_grants as replaced
    inner join adopted_grants as replacing
        on replacing.replaces_deliberation_code = replaced.replaces_deliberation_code
    where replacing.deliberation_id != replaced.deliberation_id
        and (
            replacing.session_date > replaced.session_date
            or (
                replacing.session_date = replaced.session_date
                and replacing.deliberation_code > replaced.deliberation_code
            )
        )

),

replacements as (

    select distinct
        replaced_grant_id,
        replacing_grant_id

    from replacement_pairs
    where
        case
            when replaced_pole_id is not null and replacing_pole_id is not null
                then replaced_pole_id = replacing_pole_id
            else replaced_beneficiary_key = replacing_beneficiary_key
        end

),

replaced_grants as (

    select distinct replaced_grant_id as grant_id
    from replacements

),

replacing_grants as (

    select
        replacing_grant_id as grant_id,
        count(*) as replaced_grant_count

    from replacements
    group by replacing_grant_id

),

final as (

    select
        adopted_grants.grant_id,
        adopted_grants.deliberation_id,
        adopted_grants.deliberation_code,
        adopted_grants.grant_index,
        adopted_grants.session_date,
        adopted_grants.body,
        adopted_grants.title,
        adopted_grants.source_url,
        adopted_grants.needs_review,
        adopted_grants.review_status,
        adopted_grants.correction_file,
        adopted_grants.document_sha256,
        adopted_grants.beneficiary,
        adopted_grants.pole_id,
        adopted_grants.pole_id is not null as is_pole_grant,
        adopted_grants.kind,
        adopted_grants.amount_eur,
        adopted_grants.funding_year,
        adopted_grants.programme_budget_eur,
        adopted_grants.replaces_deliberation_code,
        coalesce(replacing_grants.replaced_grant_count, 0) as replaced_grant_count

    from adopted_grants
    left join replaced_grants
        on adopted_grants.grant_id = replaced_grants.grant_id
    left join replacing_grants
        on adopted_grants.grant_id = replacing_grants.grant_id
    where replaced_grants.grant_id is null

)

select * from final
