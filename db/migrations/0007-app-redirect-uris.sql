-- The redirect URIs an app registered: /authorize sends a code to no other. An app stored
-- before this migration has none, as an app registered without any has in Entra.
ALTER TABLE apps ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]'; -- JSON array of absolute URIs
