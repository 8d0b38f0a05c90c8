-- Record a reminder once per (period, submitter, reason); returns a row only when it is new.
insert into kcn_audit.reminder
    (period, submitter_code, reason, rejected_version_id, deadline_at, recipients, subject,
     outbox_path)
values
    (%(period)s, %(submitter_code)s, %(reason)s, %(rejected_version_id)s, %(deadline_at)s,
     %(recipients)s, %(subject)s, %(outbox_path)s)
on conflict (period, submitter_code, reason) do nothing
returning reminder_id
