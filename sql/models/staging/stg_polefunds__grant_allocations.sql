with

source as (

    select * from {{ source('polefunds', 'grant_allocations') }}

),

renamed as (

    select
        grant_id,
        allocation_index,
        territory_id,
        budget,
        cast(amount_eur as decimal(14, 2)) as amount_eur

    from source

)

select * from renamed
