with

source as (

    select * from {{ source('polefunds', 'territories') }}

),

renamed as (

    select
        territory_id,
        name as territory_name,
        seat,
        ets as has_ets

    from source

)

select * from renamed
