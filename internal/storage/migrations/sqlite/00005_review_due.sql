-- +goose Up
-- The retention review lists each kind's records by review date, soonest
-- first: an index in that order answers it without reading the whole table.
CREATE INDEX persons_review ON persons (review_on, id);
CREATE INDEX travel_documents_review ON travel_documents (review_on, id);
CREATE INDEX vehicles_review ON vehicles (review_on, id);
CREATE INDEX artworks_review ON artworks (review_on, id);

-- +goose Down
DROP INDEX artworks_review;
DROP INDEX vehicles_review;
DROP INDEX travel_documents_review;
DROP INDEX persons_review;
