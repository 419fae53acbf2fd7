with

source as (

    select * from {{ source('polefunds', 'corrections') }}

),

renamed as (

    select
        correction_file,
        deliberation_code,
        document_sha256,
        verdict,
        changed,
        corrected_by,
        corrected_on,
        why,
        state,
        error

    from source

)

select * from renamed
