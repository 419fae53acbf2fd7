with

source as (

    select * from {{ source('polefunds', 'deliberations') }}

),

renamed as (

    select
        deliberation_id,
        -- codes are matched against each other (amends): one space between words, always
        regexp_replace(trim(deliberation_code), '\s+', ' ', 'g') as deliberation_code,
        reference,
        authority,
        body,
        session_date,
        session_year,
        title,
        outcome,
        members_present,
        nullif(regexp_replace(trim(amends), '\s+', ' ', 'g'), '') as amends,
        document_sha256,
        source_url,
        commission,
        rapporteur,
        listing_impact_kind,
        listing_impact_eur,
        listing_impact_ht_eur,
        needs_review,
        review_reasons,
        review_status,
        correction_file

    from source

)

select * from renamed
