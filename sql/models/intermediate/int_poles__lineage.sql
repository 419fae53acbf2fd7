-- Each pôle's lineage root by funding year: the pôle itself until the year its existence
-- ends, then its successor from the next year, and so on down the chain of mergers.
-- A pôle keeps every funding year it existed in, even for a day (merger on 1 January: the
-- years split cleanly); a pôle with no successor is its own root for good.
with recursive

poles as (

    select * from {{ ref('stg_polefunds__poles') }}

),

lineage as (

    select
        pole_id,
        0 as lineage_step,
        pole_id as lineage_pole_id,
        cast(null as integer) as from_year,
        case when successor_id is not null then year(valid_to) end as to_year,
        case when valid_to is not null then successor_id end as next_pole_id

    from poles

    union all

    select
        lineage.pole_id,
        lineage.lineage_step + 1 as lineage_step,
        successor.pole_id as lineage_pole_id,
        lineage.to_year + 1 as from_year,
        case
            when successor.successor_id is not null then year(successor.valid_to)
        end as to_year,
        case when successor.valid_to is not null then successor.successor_id end as next_pole_id

    from lineage
    inner join poles as successor
        on lineage.next_pole_id = successor.pole_id
    -- bounds a cycle of successors
    where lineage.lineage_step < 10

),

final as (

    select
        lineage.pole_id,
        lineage.lineage_step,
        lineage.lineage_pole_id,
        poles.pole_name as lineage_pole_name,
        cast(lineage.from_year as integer) as from_year,
        cast(lineage.to_year as integer) as to_year

    from lineage
    inner join poles
        on lineage.lineage_pole_id = poles.pole_id

)

select * from final
