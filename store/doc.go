// Package store keeps charter's data in one bbolt file: signatories with
// their history and tier aggregate, the audit data of every region, the
// reviewers' annotations with their history, and the schema version. Every
// write is one transaction; change events are published only after commit,
// numbered in commit order. It implements the service interfaces of package
// model and imports nothing of charter's but model and the embedded dataset.
//
// # Buckets and encodings (schema 3)
//
// Integers in keys are 8-byte big-endian, so keys sort numerically. Values
// are JSON unless said otherwise.
//
//	meta
//	  "schema"            the schema version as decimal text ("3")
//	  "tier_counts"       model.TierCounts, kept equal to a recount of
//	                      signatories by every write
//	  "regions"           []string: the audit regions in import order
//	  "migration_1_to_2"  present in files migrated from schema 1: when,
//	                      the notes the migration made, and any schema-1
//	                      annotation data it could give to no single return
//	                      (see Migration below)
//
//	signatories           key: ID (uint64)  value: model.Signatory in the
//	                      binary record form below (bucket sequence = the
//	                      last ID given out)
//	signatories_by_org    key: model.OrgKey(region, organisation), the
//	                      trimmed, lower-cased names joined by a zero byte
//	                      value: ID (uint64); one entry per record
//	signatory_history     key: ID (uint64) + version (uint64)
//	                      value: model.Change; version 1 is the creation (or
//	                      import), a delete adds one more version
//
//	audit_regions         key: the region's name, its bytes as they are
//	                      value: the region's source data (respondents,
//	                      questions, returns, comments, pathways, summaries)
//	                      exactly as imported, with no annotations
//
//	annotations           key: annotation key (below)
//	                      value: {"key": model.ReturnKey, ...model.Annotation}
//	                      (the record repeats its return's key, and check
//	                      verifies the two agree)
//	annotation_history    key: annotation key + version (uint64) + change
//	                      number within that version (one byte)
//	                      value: model.AnnotationChange
//
// # The signatory record
//
// A signatory is stored in a compact binary form, read without
// reflection. All of the record is there: it is the source of truth, and
// the organisation index and tier aggregate are derived from it (check
// recounts both). Numbers are encoding/binary varints (uvarint unless
// said); the layout of format 1:
//
//	format      one byte, 1 (a JSON record of schemas 1 and 2 starts with
//	            '{', so the two forms cannot be mistaken)
//	ID, Version
//	flags       one byte: 1 employees given, 2 vacancy statement made;
//	            any other bit is refused
//	commitments one byte, the model.CommitmentSet
//	employees   a signed varint, only with flag 1 (none means "not said")
//	times       SignedOn, LastReviewedOn, VacancyEvidence.On,
//	            Withdrawal.On, Created, Updated (form below)
//	evidence    the number of entries, then each entry's commitment (one
//	            byte) and day (a time)
//	lengths     the byte length of each text field, in this order:
//	            organisation, contact name, email, sector, region, local
//	            area, signed by, review status, notes, last reviewed by,
//	            vacancy evidence note and by, withdrawal reason, by and
//	            prior status; then each evidence entry's note and by
//	text        the text fields' bytes, back to back in the same order;
//	            the record ends exactly where they do
//
// A time is 0 for the zero time, otherwise a head of
// nanoseconds<<2 | 2 (if it has a zone offset) | 1, the Unix seconds as a
// signed varint and, with the offset flag, the offset east of UTC in
// seconds (signed varint, not 0, at most a day). Charter stores every time
// in UTC, which has no offset and reads back in UTC.
//
// A field added to model.Signatory needs a new format byte (the decoder
// refuses a format it does not know) and a migration; a test fills every
// field of the struct by reflection and fails until the codec carries it.
//
// Decoding copies a record's text out of the database page once, into a
// block of memory shared with the records decoded before it, and slices
// every string from it; values most records share (a sector, a status,
// a local area, the region, a reviewer's name that repeats) are not copied
// at all. Signatories splits the ID range into one part per processor and
// decodes the parts side by side, into one list allocated while the parts
// are counted; on Linux that list and the text blocks are backed by
// transparent huge pages (madvise), because faulting 50 MB in 4 KB pages
// cost a new process more than decoding did, and the mapped pages already
// decoded are given back every 4,096 records, so that the file's pages
// and the records decoded from them are not resident together. History
// entries stay JSON: they are read one record at a time.
//
// Check decodes every record, reports one stored in the other form than
// its file's schema uses (JSON in schema 3, binary before), one stored
// under another ID, and recounts the tier aggregate and the organisation
// index from the records.
//
// An annotation key is the return's region, question id and respondent,
// each written as its length in bytes (an unsigned varint,
// encoding/binary's AppendUvarint, in its shortest form) followed by its
// bytes. No name can make two returns share a key, whatever characters it
// contains, and the encoded region alone is a prefix that selects exactly
// that region's annotations and history: re-importing region "Test"
// touches nothing of "Test/North". A return's history is the prefix scan
// of its annotation key, oldest first.
//
// An annotation and its history live and go together: re-importing a
// region removes the annotations of returns its new data no longer holds,
// and their history with them. Check reports an annotation whose return
// does not exist, a key that does not decode, a record stored under
// another return's key, history without an annotation or beyond its
// version, and a version with no history.
//
// # Schema versions
//
// Schema 1 keyed an annotation by region, question id and respondent
// joined with "/" (model.ReturnKey.String) and a history entry by that
// text, a zero byte, the version and the change number. Names may contain
// "/", so two returns could share one annotation and one history, and a
// re-import of region "Test" deleted the annotations of "Test/North" (by
// the prefix "Test/"), leaving their history behind.
//
// Schema 2 uses the length-prefixed keys above. Nothing else changed.
//
// Schema 3 (this build) stores signatories in the binary record form
// above instead of JSON. Nothing else changed. A file of schema 1 or 2
// opened read-only is still read, JSON records and all.
//
// # Migration
//
// A file of an older schema opened read-write is migrated on open, in one
// write transaction: all of it or, on any error, nothing (the error says
// so and the file stays as it was). A file already at this schema costs
// opening nothing more than reading the version. A file opened read-only
// is not changed: it is read in its own layout. A file of a newer schema is
// refused with model.ErrSchema and a message naming both versions.
//
// From 1 to 2, every annotation and every history entry is re-keyed:
//
//   - An annotation goes to the return its record names, which is the
//     return it was last written for, with every history entry filed under
//     its schema-1 key. Where that key was shared by several existing
//     returns, the entries cannot be told apart by return (a schema-1
//     history entry does not name its return), so all of them stay with
//     the annotation; the other returns start unannotated. A note names
//     them all.
//   - History left without an annotation whose schema-1 key names exactly
//     one existing return with no annotation gets its annotation back,
//     rebuilt from the history: the newest value of each field, and the
//     newest entry's version, author and time. This restores annotations
//     that schema 1's prefix match deleted.
//   - Anything else (history of a return that no longer exists, or of a
//     shared key, or a record that cannot be read) is kept in the meta
//     record "migration_1_to_2" rather than dropped.
//
// From 2 to 3, every signatory is decoded from JSON and written in the
// binary form, in batches of 4,096 within the one transaction (a bbolt
// cursor may not walk a bucket while it changes); the index, history and
// aggregate already describe the same records and stay as they are. A
// record that cannot be read stops the migration, naming it, and leaves
// the file as it was. A file of schema 1 goes through both steps in the
// same transaction.
//
// DB.Migration returns the notes to the caller that opened the file.
//
// # Events
//
// Subscribers get every committed change in Seq order with no gaps, or
// their channel is closed: a subscriber whose buffer is full is closed
// rather than skipped, so it knows to reload and subscribe again (see
// model.EventService).
//
// # File size
//
// Read-write opens reserve a 1 GB mapping (address space, not memory), so
// bbolt never remaps during a large import. The file itself grows in steps
// of an eighth of its size at open, between 64 KB and 16 MB.
package store
