{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'int_grants__effective'}}}) }}
-- An adopted amendment of an adopted act in the warehouse whose grant replaced nothing: most
-- likely a beneficiary spelt differently in the two acts, and then both grants count.
with

effective_grants as (

    select * from {{ ref('int_grants__effective') }}

),

deliberations as (

    select * from {{ ref('stg_polefunds__deliberations') }}

),

final as (

    select
        effective_grants.grant_id,
        effective_grants.beneficiary,
        effective_grants.replaces_deliberation_code

    from effective_grants
    inner join deliberations
        on effective_grants.replaces_deliberation_code = deliberations.deliberation_code
    where deliberations.outcome = 'adopted'
        and effective_grants.replaced_grant_count = 0

)

select * from final
