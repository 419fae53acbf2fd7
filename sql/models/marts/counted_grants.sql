-- One row per grant that counts, to a pôle or not, with the act it comes from.
with

effective_grants as (

    select * from {{ ref('int_grants__effective') }}

),

poles as (

    select * from {{ ref('stg_polefunds__poles') }}

),

final as (

    select
        effective_grants.grant_id,
        effective_grants.deliberation_code,
        effective_grants.session_date,
        effective_grants.body,
        effective_grants.beneficiary,
        effective_grants.is_pole_grant,
        effective_grants.pole_id,
        poles.pole_name,
        effective_grants.kind,
        cast(effective_grants.amount_eur as decimal(14, 2)) as amount_eur,
        effective_grants.funding_year,
        effective_grants.needs_review,
        effective_grants.review_status,
        effective_grants.correction_file,
        effective_grants.replaces_deliberation_code,
        effective_grants.document_sha256,
        effective_grants.source_url,
        effective_grants.title

    from effective_grants
    left join poles
        on effective_grants.pole_id = poles.pole_id

)

select * from final
