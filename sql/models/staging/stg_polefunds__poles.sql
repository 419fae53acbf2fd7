with

source as (

    select * from {{ source('polefunds', 'poles') }}

),

renamed as (

    select
        pole_id,
        name as pole_name,
        full_name as pole_full_name,
        theme,
        valid_from,
        valid_to,
        successor_id,
        history

    from source

)

select * from renamed
