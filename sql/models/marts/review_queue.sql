-- The acts a person must read: those flagged (by the parser or the warehouse) that no
-- correction covers yet, and the acts of relevant cards whose PDF could not be read at all
-- (a scan without text, a broken file). One row per document, with what to look at.
with

deliberations as (

    select * from {{ ref('stg_polefunds__deliberations') }}

),

grants as (

    select * from {{ ref('stg_polefunds__grants') }}

),

documents as (

    select * from {{ ref('stg_polefunds__documents') }}

),

counted as (

    select * from {{ ref('int_grants__effective') }}

),

act_grants as (

    select
        deliberation_id,
        count(*) as grant_count,
        sum(amount_eur) as amount_eur,
        coalesce(sum(amount_eur) filter (where pole_id is not null), 0) as pole_amount_eur

    from grants
    group by deliberation_id

),

act_counted as (

    select
        deliberation_id,
        sum(amount_eur) as counted_amount_eur

    from counted
    group by deliberation_id

),

flagged as (

    select
        deliberations.document_sha256,
        deliberations.deliberation_code,
        'flagged' as queue_reason,
        deliberations.session_date,
        deliberations.body,
        deliberations.title,
        array_to_string(
            list_distinct(
                list_transform(deliberations.review_reasons, lambda reason: split_part(reason, ':', 1))
            ),
            ', '
        ) as review_codes,
        array_to_string(deliberations.review_reasons, chr(10)) as review_reasons,
        len(deliberations.review_reasons) as reason_count,
        coalesce(act_grants.grant_count, 0) as grant_count,
        coalesce(act_grants.amount_eur, 0) as amount_eur,
        coalesce(act_grants.pole_amount_eur, 0) as pole_amount_eur,
        coalesce(act_counted.counted_amount_eur, 0) as counted_amount_eur,
        deliberations.source_url

    from deliberations
    left join act_grants
        on deliberations.deliberation_id = act_grants.deliberation_id
    left join act_counted
        on deliberations.deliberation_id = act_counted.deliberation_id
    where deliberations.needs_review

),

unread as (

    select
        sha256 as document_sha256,
        cast(null as varchar) as deliberation_code,
        any_value(parse_status) as queue_reason,
        any_value(listing_session_date) as session_date,
        cast(null as varchar) as body,
        cast(null as varchar) as title,
        any_value(parse_status) as review_codes,
        any_value(parse_error) as review_reasons,
        1 as reason_count,
        0 as grant_count,
        0 as amount_eur,
        0 as pole_amount_eur,
        0 as counted_amount_eur,
        min(url) as source_url

    from documents
    where is_act
        and card_relevant
        and parse_status in ('no_text', 'unreadable')
        and sha256 not in (select document_sha256 from deliberations)
    group by sha256

),

queued as (

    select * from flagged
    union all by name
    select * from unread

),

final as (

    select
        document_sha256,
        deliberation_code,
        queue_reason,
        session_date,
        body,
        title,
        review_codes,
        review_reasons,
        cast(reason_count as integer) as reason_count,
        cast(grant_count as integer) as grant_count,
        cast(amount_eur as decimal(14, 2)) as amount_eur,
        cast(pole_amount_eur as decimal(14, 2)) as pole_amount_eur,
        cast(counted_amount_eur as decimal(14, 2)) as counted_amount_eur,
        'raw/' || document_sha256 || '.pdf' as document_path,
        source_url

    from queued

)

select * from final
