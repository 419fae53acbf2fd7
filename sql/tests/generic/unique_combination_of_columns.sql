{#- The columns together are unique (dbt_utils' test of the same name, without the package). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

keyed as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
),

final as (
    select * from keyed
    where row_count > 1
)

select * from final

{% endtest %}
