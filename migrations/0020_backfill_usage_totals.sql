-- The running totals start from the events already stored (0019 created them empty); from now
-- on every stored event adds to them in the same statement (usage.repository.ts). Windows are
-- calendar-based in UTC: a day from midnight, a week from Monday, a month from the 1st.
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
