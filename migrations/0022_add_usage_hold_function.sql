-- A turn's hold in one round trip (quota.service.ts, reserveTurn): under the same advisory lock as
-- before (the installation's, or the student's), read what is spent and held, and hold what the
-- turn may spend if anything is left. Each statement of a volatile PL/pgSQL function takes a new
-- snapshot, so the read comes after the lock and sees every hold committed before it, as the
-- separate statements of a transaction did; the lock ends with the call's own transaction, so it
-- is held for the function's few reads and one insert instead of five round trips. Limits of 0 are
-- off; a NULL estimate cost holds nothing unless a budget caps it. When something is used up, no
-- row is held and `id` is NULL: the caller reads which limit from the totals returned.
CREATE FUNCTION "usage_hold_turn"(
  "p_user_id" uuid,
  "p_installation_lock" boolean,
  "p_day" timestamptz,
  "p_week" timestamptz,
  "p_month" timestamptz,
  "p_now" timestamptz,
  "p_expires_at" timestamptz,
  "p_daily_tokens" bigint,
  "p_weekly_tokens" bigint,
  "p_monthly_usd" numeric,
  "p_tokens" bigint,
  "p_cost_usd" numeric
) RETURNS TABLE (
  "id" uuid,
  "held_tokens" bigint,
  "held_cost_usd" numeric,
  "used_today" bigint,
  "used_this_week" bigint,
  "reserved_tokens" bigint,
  "spent_this_month" numeric,
  "reserved_cost" numeric
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  "left_today" numeric;
  "left_week" numeric;
  "left_usd" numeric;
BEGIN
  IF "p_installation_lock" THEN
    PERFORM pg_advisory_xact_lock(727071, 13);
  ELSE
    PERFORM pg_advisory_xact_lock(727072, hashtext("p_user_id"::text));
  END IF;
  SELECT
    coalesce((SELECT t."tokens" FROM "usage_user_totals" t
      WHERE t."user_id" = "p_user_id" AND t."period" = 'day' AND t."starts_at" = "p_day"), 0),
    coalesce((SELECT t."tokens" FROM "usage_user_totals" t
      WHERE t."user_id" = "p_user_id" AND t."period" = 'week' AND t."starts_at" = "p_week"), 0),
    (SELECT coalesce(sum(r."tokens"), 0)::bigint FROM "usage_reservations" r
      WHERE r."user_id" = "p_user_id" AND r."expires_at" > "p_now"),
    coalesce((SELECT m."cost_usd" FROM "usage_monthly_totals" m WHERE m."month" = "p_month"), 0),
    (SELECT coalesce(sum(r."cost_usd"), 0) FROM "usage_reservations" r
      WHERE r."expires_at" > "p_now")
  INTO "used_today", "used_this_week", "reserved_tokens", "spent_this_month", "reserved_cost";
  -- NULL: no such limit (least() skips it, and a comparison with it is never true).
  "left_today" := CASE WHEN "p_daily_tokens" > 0
    THEN "p_daily_tokens" - "used_today" - "reserved_tokens" END;
  "left_week" := CASE WHEN "p_weekly_tokens" > 0
    THEN "p_weekly_tokens" - "used_this_week" - "reserved_tokens" END;
  "left_usd" := CASE WHEN "p_monthly_usd" > 0
    THEN "p_monthly_usd" - "spent_this_month" - "reserved_cost" END;
  IF "left_today" <= 0 OR "left_week" <= 0 OR "left_usd" <= 0 THEN
    RETURN NEXT;
    RETURN;
  END IF;
  "held_tokens" := least("p_tokens", "left_today", "left_week");
  "held_cost_usd" := coalesce(least("p_cost_usd", "left_usd"), 0);
  INSERT INTO "usage_reservations" ("user_id", "tokens", "cost_usd", "created_at", "expires_at")
  VALUES ("p_user_id", "held_tokens"::integer, "held_cost_usd", "p_now", "p_expires_at")
  RETURNING "usage_reservations"."id" INTO "id";
  RETURN NEXT;
END;
$$;
