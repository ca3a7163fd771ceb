DROP INDEX "retrieval_chunks_fts_idx";--> statement-breakpoint
ALTER TABLE "retrieval_chunks" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "citation" || ' ' || "content")) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "retrieval_chunks_search_idx" ON "retrieval_chunks" USING gin ("search_vector");