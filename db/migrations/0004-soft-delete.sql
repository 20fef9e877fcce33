-- Soft delete: a removed flow stays, with its permissions and runs, until its
-- retention ends; the eight operations see only flows whose deleted_time is NULL.
ALTER TABLE flows ADD COLUMN deleted_time TEXT;
