-- Issue 3: HTTP basic credentials for a job centre's SOAP planner (both NULL: no authentication).
-- The password is never written to the audit table (see JobcenterRepo.add).
ALTER TABLE job_centres ADD COLUMN soap_username TEXT CHECK (length(soap_username) BETWEEN 1 AND 255);
ALTER TABLE job_centres ADD COLUMN soap_password TEXT CHECK (soap_username IS NOT NULL OR soap_password IS NULL);
