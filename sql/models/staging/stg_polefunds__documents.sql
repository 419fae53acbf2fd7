with

source as (

    select * from {{ source('polefunds', 'documents') }}

),

renamed as (

    select
        url,
        card_id,
        document_kind,
        is_act,
        card_relevant,
        sha256,
        bytes as size_bytes,
        http_status,
        content_type,
        download_state,
        download_error,
        first_seen,
        last_seen,
        listing_session_date,
        parse_status,
        parse_error,
        parser_version

    from source

)

select * from renamed
