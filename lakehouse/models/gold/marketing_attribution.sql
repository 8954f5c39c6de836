-- gold.marketing_attribution (materialized: table): orders and USD revenue of gold.fact_orders
-- credited to marketing touches, first-touch and last-touch, one row per
-- (attribution_model, channel, campaign).
--   Touch: a silver.customer_behavior event of the order's customer with a utm_source; its
--     channel is utm_source, its campaign utm_campaign ('(none)' when not set). Touches are
--     numbered per customer in time order (event_ts, then behavior_id for equal times), so
--     every choice below is deterministic.
--   An order's touches are its customer's touches at or before order_ts (order_date 00:00
--     when order_ts is missing). first_touch: the earliest of them, which is the customer's
--     touch number 1 whenever any exists; last_touch: the latest of them.
--   An order with no touch at or before it goes to channel 'direct', campaign '(none)', in
--     both models, so each model's revenue_usd sums to sum(gold.fact_orders.amount_usd) and
--     its orders to the fact's row count.
--   The latest touch at or before each order is found without a range join: touches and
--     orders of a customer on one time line (a touch sorts before an order at the same
--     instant) and a running max of the touch number along it.
WITH touches AS (
    SELECT customer_id, event_ts, utm_source AS channel,
           coalesce(utm_campaign, '(none)') AS campaign,
           ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY event_ts, behavior_id) AS touch_no
    FROM silver.customer_behavior
    WHERE utm_source IS NOT NULL
),
timeline AS (
    SELECT customer_id, CAST(NULL AS VARCHAR) AS order_id, event_ts AS ts, 0 AS kind, touch_no
    FROM touches
    UNION ALL
    SELECT customer_id, order_id, coalesce(order_ts, CAST(order_date AS TIMESTAMP)) AS ts,
           1 AS kind, CAST(NULL AS BIGINT) AS touch_no
    FROM gold.fact_orders
),
running AS (
    SELECT order_id, kind,
           max(touch_no) OVER (PARTITION BY customer_id ORDER BY ts, kind, touch_no
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS last_touch_no
    FROM timeline
),
order_touch AS (
    SELECT order_id, last_touch_no,
           CASE WHEN last_touch_no IS NOT NULL THEN CAST(1 AS BIGINT) END AS first_touch_no
    FROM running
    WHERE kind = 1
),
credited AS (
    SELECT 'first_touch' AS attribution_model,
           coalesce(t.channel, 'direct') AS channel,
           coalesce(t.campaign, '(none)') AS campaign,
           o.customer_id, o.amount_usd
    FROM gold.fact_orders o
    INNER JOIN order_touch a ON a.order_id = o.order_id
    LEFT JOIN touches t ON t.customer_id = o.customer_id AND t.touch_no = a.first_touch_no
    UNION ALL
    SELECT 'last_touch' AS attribution_model,
           coalesce(t.channel, 'direct') AS channel,
           coalesce(t.campaign, '(none)') AS campaign,
           o.customer_id, o.amount_usd
    FROM gold.fact_orders o
    INNER JOIN order_touch a ON a.order_id = o.order_id
    LEFT JOIN touches t ON t.customer_id = o.customer_id AND t.touch_no = a.last_touch_no
)
SELECT attribution_model,
       channel,
       campaign,
       count(*) AS orders,
       count(DISTINCT customer_id) AS customers,
       CAST(coalesce(sum(amount_usd), 0) AS DECIMAL(18,2)) AS revenue_usd
FROM credited
GROUP BY attribution_model, channel, campaign
