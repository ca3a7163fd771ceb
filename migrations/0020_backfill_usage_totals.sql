-- The running totals are kept by a trigger on usage_events, so every writer keeps them, a replica
-- still on the previous release during a rolling upgrade included. Windows are calendar-based in
-- UTC: a day from midnight, a week from Monday, a month from the 1st.
CREATE FUNCTION "usage_totals_add_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "usage_monthly_totals" AS t ("month", "tokens", "cost_usd")
  VALUES (date_trunc('month', NEW."created_at", 'UTC'), NEW."input_tokens" + NEW."output_tokens", NEW."cost_usd")
  ON CONFLICT ("month") DO UPDATE
    SET "tokens" = t."tokens" + excluded."tokens", "cost_usd" = t."cost_usd" + excluded."cost_usd";
  IF NEW."user_id" IS NOT NULL THEN
    INSERT INTO "usage_user_totals" AS t ("user_id", "period", "starts_at", "tokens", "cost_usd")
    VALUES
      (NEW."user_id", 'day', date_trunc('day', NEW."created_at", 'UTC'), NEW."input_tokens" + NEW."output_tokens", NEW."cost_usd"),
      (NEW."user_id", 'week', date_trunc('week', NEW."created_at", 'UTC'), NEW."input_tokens" + NEW."output_tokens", NEW."cost_usd")
    ON CONFLICT ("user_id", "period", "starts_at") DO UPDATE
      SET "tokens" = t."tokens" + excluded."tokens", "cost_usd" = t."cost_usd" + excluded."cost_usd";
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Created before the totals are filled: CREATE TRIGGER locks usage_events against inserts until
-- this migration commits, so every event is counted exactly once, by the fill or by the trigger.
CREATE TRIGGER "usage_events_add_to_totals" AFTER INSERT ON "usage_events"
FOR EACH ROW EXECUTE FUNCTION "usage_totals_add_event"();
--> statement-breakpoint
INSERT INTO "usage_monthly_totals" ("month", "tokens", "cost_usd")
SELECT date_trunc('month', "created_at", 'UTC'), sum("input_tokens" + "output_tokens"), sum("cost_usd")
FROM "usage_events"
GROUP BY 1;
--> statement-breakpoint
INSERT INTO "usage_user_totals" ("user_id", "period", "starts_at", "tokens", "cost_usd")
SELECT "user_id", 'day', date_trunc('day', "created_at", 'UTC'), sum("input_tokens" + "output_tokens"), sum("cost_usd")
FROM "usage_events" WHERE "user_id" IS NOT NULL
GROUP BY 1, 3;
--> statement-breakpoint
INSERT INTO "usage_user_totals" ("user_id", "period", "starts_at", "tokens", "cost_usd")
SELECT "user_id", 'week', date_trunc('week', "created_at", 'UTC'), sum("input_tokens" + "output_tokens"), sum("cost_usd")
FROM "usage_events" WHERE "user_id" IS NOT NULL
GROUP BY 1, 3;
