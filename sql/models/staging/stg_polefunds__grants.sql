with

source as (

    select * from {{ source('polefunds', 'grants') }}

),

renamed as (

    select
        grant_id,
        deliberation_id,
        grant_index,
        beneficiary,
        pole_id,
        kind,
        cast(amount_eur as decimal(14, 2)) as amount_eur,
        funding_year,
        cast(programme_budget_eur as decimal(14, 2)) as programme_budget_eur

    from source

)

select * from renamed
