-- rapport's aggregated table (docs/warehouse.md) from raw survey exports, in DuckDB.
--
-- Run it in the site's folder:  duckdb < duckdb.sql   (DuckDB 1.1 or later, with its
-- ICU extension for time zones, which the CLI and the Python package include). It reads
-- content/surveys/*.csv and writes aggregated.csv. CI runs it on the demo's exports
-- (tools/aggregate-demo.sh) and compares the result with tests/fixtures/aggregated/.
--
-- The query repeats these settings of the demo's site.toml; change them together:
--   timezone = "Europe/Berlin"
--   [metrics.csat] scale = [1, 5]       [metrics.ces] scale = [1, 7]       (NPS is 0-10)
--   [metrics.first_response] buckets = [60, 240, 1440]
--   columns: response_id, submitted_at, customer_id, csat, nps, ces; dimensions
--   channel, touchpoint, agent, account; measures first_response_minutes,
--   resolution_minutes, transfers.

-- Timestamps without an offset are read in the site's time zone; `day` is cut in it.
SET TimeZone = 'Europe/Berlin';

-- The sketch key of a duration, as src/metrics/sketch.rs computes it: the bin k with
-- gamma^(k-1) < minutes <= gamma^k, gamma = (1 + 0.01) / (1 - 0.01), in double precision.
CREATE OR REPLACE TEMP MACRO sketch_key(minutes) AS
    CASE WHEN minutes = 0 THEN 'zero'
         ELSE CAST(CAST(ceil(ln(minutes) / ln((1.0::DOUBLE + 0.01::DOUBLE) / (1.0::DOUBLE - 0.01::DOUBLE))) AS BIGINT) AS VARCHAR)
    END;

-- A score cell: empty is no answer (NULL); anything that is not a whole number on the scale
-- makes the row unreadable (the marker -1), as rapport rejects such a row.
CREATE OR REPLACE TEMP MACRO score(cell, lo, hi) AS
    CASE WHEN nullif(trim(cell), '') IS NULL THEN NULL
         WHEN TRY_CAST(trim(cell) AS DOUBLE) BETWEEN lo AND hi
              AND TRY_CAST(trim(cell) AS DOUBLE) = floor(TRY_CAST(trim(cell) AS DOUBLE))
             THEN TRY_CAST(trim(cell) AS DOUBLE)
         ELSE -1
    END;

-- A measure cell: empty is unknown (NULL); a negative, non-finite or unreadable number
-- (or, for counts, one that is not whole or above 1,000) makes the row unreadable (-1).
CREATE OR REPLACE TEMP MACRO measure(cell, whole) AS
    CASE WHEN nullif(trim(cell), '') IS NULL THEN NULL
         WHEN isfinite(TRY_CAST(trim(cell) AS DOUBLE)) AND TRY_CAST(trim(cell) AS DOUBLE) >= 0
              AND (NOT whole OR (TRY_CAST(trim(cell) AS DOUBLE) = floor(TRY_CAST(trim(cell) AS DOUBLE))
                                 AND TRY_CAST(trim(cell) AS DOUBLE) <= 1000))
             THEN TRY_CAST(trim(cell) AS DOUBLE)
         ELSE -1
    END;

-- Every row of every export, with its file and its place in it (DuckDB numbers rows in
-- read order: files in name order, lines in order).
CREATE OR REPLACE TEMP TABLE rows_read AS
SELECT
    filename AS file,
    ordinality AS line,
    nullif(trim(response_id), '') AS id,
    nullif(trim(customer_id), '') AS customer,
    TRY_CAST(nullif(trim(submitted_at), '') AS TIMESTAMPTZ) AS submitted,
    nullif(trim(channel), '') AS channel,
    nullif(trim(touchpoint), '') AS touchpoint,
    nullif(trim(agent), '') AS agent,
    nullif(trim(account), '') AS account,
    score(csat, 1, 5) AS csat,
    score(nps, 0, 10) AS nps,
    score(ces, 1, 7) AS ces,
    measure(first_response_minutes, false) AS first_response,
    measure(resolution_minutes, false) AS resolution,
    measure(transfers, true) AS transfers
FROM read_csv('content/surveys/*.csv', all_varchar = true, header = true, filename = true) WITH ORDINALITY;

-- The rows rapport uses: readable, dated 1970-2100 in the site's zone.
CREATE OR REPLACE TEMP TABLE rows_used AS
SELECT *
FROM rows_read
WHERE submitted IS NOT NULL
  AND year(timezone('Europe/Berlin', submitted)) BETWEEN 1970 AND 2100
  AND coalesce(csat, 0) >= 0 AND coalesce(nps, 0) >= 0 AND coalesce(ces, 0) >= 0
  AND coalesce(first_response, 0) >= 0 AND coalesce(resolution, 0) >= 0 AND coalesce(transfers, 0) >= 0;

-- One copy per response id: the one in the file that sorts last (the last line within a
-- file). It keeps the place of the id's first copy, which breaks ties in customer history.
CREATE OR REPLACE TEMP TABLE responses AS
SELECT
    *,
    min({'file': file, 'line': line}) OVER (PARTITION BY coalesce(id, file || ':' || line)) AS first_seen
FROM rows_used
QUALIFY id IS NULL OR row_number() OVER (PARTITION BY id ORDER BY file DESC, line DESC) = 1;

-- Each response's cell (its day, dimensions, survey count and support-operations buckets)
-- and its answers, a duration by its sketch key.
CREATE OR REPLACE TEMP TABLE cells AS
SELECT
    CAST(timezone('Europe/Berlin', submitted) AS DATE) AS day,
    channel, touchpoint, agent, account,
    CASE WHEN customer IS NULL THEN NULL
         ELSE CASE row_number() OVER (PARTITION BY customer ORDER BY submitted, first_seen)
                  WHEN 1 THEN '1' WHEN 2 THEN '2-3' WHEN 3 THEN '2-3' ELSE '4+' END
    END AS visit,
    -- Not least(transfers, 3): DuckDB's least() skips NULL, and no transfers is no bucket.
    CAST(CASE WHEN transfers >= 3 THEN 3 ELSE transfers END AS BIGINT) AS transfers_bucket,
    CASE WHEN first_response IS NULL THEN NULL
         WHEN first_response < 60 THEN 0
         WHEN first_response < 240 THEN 60
         WHEN first_response < 1440 THEN 240
         ELSE 1440
    END AS first_response_bucket,
    CAST(csat AS BIGINT) AS csat,
    CAST(nps AS BIGINT) AS nps,
    CAST(ces AS BIGINT) AS ces,
    CAST(transfers AS BIGINT) AS transfers,
    sketch_key(first_response) AS first_response_minutes,
    sketch_key(resolution) AS resolution_minutes
FROM responses;

-- The long table: per cell, its responses, then its answers per metric and score (or
-- sketch key). UNPIVOT leaves out the empty answers, as rapport does.
CREATE OR REPLACE TEMP TABLE aggregated AS
SELECT * FROM (
    SELECT * EXCLUDE (csat, nps, ces, transfers, first_response_minutes, resolution_minutes),
           'responses' AS metric, count(*) AS count
    FROM cells GROUP BY ALL
    UNION ALL BY NAME
    SELECT *, count(*) AS count
    FROM (UNPIVOT (SELECT * EXCLUDE (first_response_minutes, resolution_minutes) FROM cells)
          ON csat, nps, ces, transfers INTO NAME metric VALUE score)
    GROUP BY ALL
    UNION ALL BY NAME
    SELECT *, count(*) AS count
    FROM (UNPIVOT (SELECT * EXCLUDE (csat, nps, ces, transfers) FROM cells)
          ON first_response_minutes, resolution_minutes INTO NAME metric VALUE sketch_key)
    GROUP BY ALL
);

-- Any order would do; this one makes the file the same on every run.
COPY (
    SELECT day, channel, touchpoint, agent, account, visit, transfers_bucket, first_response_bucket,
           metric, score, sketch_key, count
    FROM aggregated
    ORDER BY day, channel, touchpoint, agent, account, visit NULLS FIRST, transfers_bucket NULLS FIRST,
             first_response_bucket NULLS FIRST,
             list_position(['responses', 'csat', 'nps', 'ces', 'transfers', 'first_response_minutes',
                            'resolution_minutes'], metric),
             score, TRY_CAST(sketch_key AS BIGINT) NULLS FIRST
) TO 'aggregated.csv' (HEADER, DELIMITER ',');
