{{ config(meta={'dagster': {'ref': {'name': 'funding_by_pole_year'}}}) }}
-- The part under review of a mart's figure is never negative and never more than the figure.
{% set marts = [
    'funding_by_pole_year',
    'funding_by_territory_year',
    'funding_by_pole_territory_year',
    'funding_by_pole_lineage_year',
] %}
{% for mart in marts %}
select '{{ mart }}' as mart, amount_eur, amount_under_review_eur
from {{ ref(mart) }}
where amount_under_review_eur < 0 or amount_under_review_eur > amount_eur
{% if not loop.last %}union all{% endif %}
{% endfor %}
