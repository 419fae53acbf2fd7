{#- The part of a sum that comes from acts awaiting review (0 when none): the marts keep
    amount_eur whole and say how much of it a person has not confirmed yet. -#}
{% macro under_review(amount, flag) -%}
    cast(coalesce(sum({{ amount }}) filter (where {{ flag }}), 0) as decimal(14, 2))
{%- endmacro %}
