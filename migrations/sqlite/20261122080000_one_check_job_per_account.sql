-- Token upkeep: each account has at most one 'check_account' job, due before its next post and
-- at least every twelve hours, so a token that stopped working is found before a post needs it.
CREATE UNIQUE INDEX one_check_job_per_account ON jobs (account_id) WHERE kind = 'check_account';
