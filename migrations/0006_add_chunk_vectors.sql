-- Vector search is optional: pgvector exists on the production image and on PGlite with its
-- vector extension loaded, but not on Debian's PostgreSQL or on some managed services. Create
-- the extension, the column and the HNSW index only where the server offers pgvector; elsewhere
-- retrieval runs on full-text search alone. The dimension must match EMBEDDING_DIMENSIONS.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    CREATE EXTENSION IF NOT EXISTS vector;
    EXECUTE 'ALTER TABLE "retrieval_chunks" ADD COLUMN IF NOT EXISTS "embedding" vector(1024)';
    EXECUTE 'CREATE INDEX IF NOT EXISTS "retrieval_chunks_embedding_idx" ON "retrieval_chunks" USING hnsw ("embedding" vector_cosine_ops)';
  END IF;
END $$;
