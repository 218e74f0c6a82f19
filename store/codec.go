package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"charter/model"
)

// The binary form of a signatory record (schema 3). See doc.go for the
// layout; in short: a format byte, the numbers and times as varints, the
// length of every text field, then the text of every field, back to back.
// Decoding reads it with no reflection, copies the text out of the
// database page once, into one block of memory (shared with the records
// decoded before it by the same decoder), and slices every string of the
// record from it.

// sigFormat1 is the leading byte of the first binary record format. A JSON
// record (schemas 1 and 2) starts with '{', so the two never mix up.
const sigFormat1 = 0x01

// Flags of a binary record.
const (
	sigHasEmployees = 1 << iota
	sigVacancyStatement
)

// The text fields of a record, in their stored order. The evidence
// entries' notes and names follow them, two per entry.
const (
	slotOrganisation = iota
	slotContactName
	slotEmail
	slotSector
	slotRegion
	slotLocalArea
	slotSignedBy
	slotReviewStatus
	slotNotes
	slotLastReviewedBy
	slotVacancyNote
	slotVacancyBy
	slotWithdrawalReason
	slotWithdrawalBy
	slotWithdrawalPrior
	numSlots
)

// encodeSignatory appends s's binary form to dst.
func encodeSignatory(dst []byte, s *model.Signatory) []byte {
	dst = append(dst, sigFormat1)
	dst = binary.AppendUvarint(dst, s.ID)
	dst = binary.AppendUvarint(dst, s.Version)
	var flags byte
	if s.Employees != nil {
		flags |= sigHasEmployees
	}
	if s.VacancyStatement {
		flags |= sigVacancyStatement
	}
	dst = append(dst, flags, byte(s.Commitments))
	if s.Employees != nil {
		dst = binary.AppendVarint(dst, int64(*s.Employees))
	}
	for _, t := range [...]time.Time{s.SignedOn, s.LastReviewedOn, s.VacancyEvidence.On, s.Withdrawal.On, s.Created, s.Updated} {
		dst = appendTime(dst, t)
	}
	dst = binary.AppendUvarint(dst, uint64(len(s.Evidence)))
	for i := range s.Evidence {
		dst = append(dst, byte(s.Evidence[i].Commitment))
		dst = appendTime(dst, s.Evidence[i].On)
	}
	texts := [numSlots]string{
		slotOrganisation: s.Organisation, slotContactName: s.ContactName, slotEmail: s.Email,
		slotSector: string(s.Sector), slotRegion: s.Region, slotLocalArea: s.LocalArea,
		slotSignedBy: s.SignedBy, slotReviewStatus: string(s.ReviewStatus), slotNotes: s.Notes,
		slotLastReviewedBy: s.LastReviewedBy, slotVacancyNote: s.VacancyEvidence.Note,
		slotVacancyBy: s.VacancyEvidence.By, slotWithdrawalReason: s.Withdrawal.Reason,
		slotWithdrawalBy: s.Withdrawal.By, slotWithdrawalPrior: string(s.Withdrawal.Prior),
	}
	for _, t := range texts {
		dst = binary.AppendUvarint(dst, uint64(len(t)))
	}
	for i := range s.Evidence {
		dst = binary.AppendUvarint(dst, uint64(len(s.Evidence[i].Note)))
		dst = binary.AppendUvarint(dst, uint64(len(s.Evidence[i].By)))
	}
	for _, t := range texts {
		dst = append(dst, t...)
	}
	for i := range s.Evidence {
		dst = append(dst, s.Evidence[i].Note...)
		dst = append(dst, s.Evidence[i].By...)
	}
	return dst
}

// A time is a head varint: 0 for the zero time, else
// nanoseconds<<2 | offset flag<<1 | 1, then the Unix seconds (varint) and,
// with the offset flag, the zone's offset east of UTC in seconds (varint).
// Times at offset 0 (every time charter stores is in UTC) carry no offset
// and read back in UTC.
func appendTime(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(dst, 0)
	}
	_, off := t.Zone()
	head := uint64(t.Nanosecond())<<2 | 1
	if off != 0 {
		head |= 2
	}
	dst = binary.AppendUvarint(dst, head)
	dst = binary.AppendVarint(dst, t.Unix())
	if head&2 != 0 {
		dst = binary.AppendVarint(dst, int64(off))
	}
	return dst
}

// sigReader walks one binary record.
type sigReader struct {
	b   []byte
	pos int
	err error
}

// fail records the first problem, with where it was found.
func (r *sigReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("byte %d of %d: %s", r.pos, len(r.b), fmt.Sprintf(format, args...))
	}
}

func (r *sigReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	if r.pos < len(r.b) && r.b[r.pos] < 0x80 {
		// Most numbers (lengths, counts) take one byte.
		v := uint64(r.b[r.pos])
		r.pos++
		return v
	}
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 {
		if n < 0 {
			r.fail("a number overflows 64 bits")
		} else {
			r.fail("the record ends early")
		}
		return 0
	}
	r.pos += n
	return v
}

func (r *sigReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.pos:])
	if n <= 0 {
		if n < 0 {
			r.fail("a number overflows 64 bits")
		} else {
			r.fail("the record ends early")
		}
		return 0
	}
	r.pos += n
	return v
}

func (r *sigReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.b) {
		r.fail("the record ends early")
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *sigReader) time() time.Time {
	head := r.uvarint()
	if head == 0 || r.err != nil {
		return time.Time{}
	}
	if head&1 == 0 || head>>2 > 999_999_999 {
		r.fail("a time has a bad header %#x", head)
		return time.Time{}
	}
	sec := r.varint()
	if head&2 == 0 {
		return time.Unix(sec, int64(head>>2)).UTC()
	}
	off := r.varint()
	if off == 0 || off < -24*3600 || off > 24*3600 {
		r.fail("a time has a zone offset of %d seconds", off)
		return time.Time{}
	}
	return time.Unix(sec, int64(head>>2)).In(time.FixedZone("", int(off)))
}

// sigDecoder decodes records, sharing what records have in common: the
// known sectors, statuses and local areas, a field's value in the record
// decoded just before, the contact's name as the signer's, and blocks of
// memory that the text and numbers of employees of many records are
// copied into. One decoder serves one goroutine.
type sigDecoder struct {
	last [numSlots]string
	ints []int
	// text is the block the next records' text is copied into. A record's
	// text never straddles two blocks.
	text []byte
	// bulk makes the blocks large, for decoding many records at once;
	// otherwise each record's text gets an allocation of its own size.
	bulk bool
	// textLeft, when above zero, bounds the text of the records still to
	// be decoded (the size of their stored values), so that the last
	// block is no larger than they need.
	textLeft int
}

// bigTextBlock is the block size when many records are still to come: big
// enough to hold huge pages (see adviseHuge).
const bigTextBlock = 4 << 20

// newBlock starts a block with room for at least need bytes.
func (d *sigDecoder) newBlock(need int) {
	size := need
	switch {
	case d.bulk && d.textLeft > 0:
		size = max(need, min(d.textLeft, bigTextBlock))
	case d.bulk:
		size = max(need, textBlock)
	}
	d.text = make([]byte, 0, size)
	if size >= bigTextBlock {
		adviseHuge(unsafe.Pointer(unsafe.SliceData(d.text)), uintptr(size))
	}
}

// textBlock is the size of the blocks records' text is copied into: many
// records share one allocation, which keeps a load of 100,000 records to
// a few hundred allocations instead of one per record.
const textBlock = 32 << 10

// knownTexts are values some fields nearly always take, shared by every
// record instead of copied into each.
var knownTexts = func() [numSlots][]string {
	var k [numSlots][]string
	for _, s := range model.Sectors() {
		k[slotSector] = append(k[slotSector], string(s))
	}
	for _, s := range model.AllReviewStatuses() {
		k[slotReviewStatus] = append(k[slotReviewStatus], string(s))
		k[slotWithdrawalPrior] = append(k[slotWithdrawalPrior], string(s))
	}
	k[slotLocalArea] = model.LocalAreas()
	k[slotRegion] = []string{"West Midlands"}
	return k
}()

// reuseLast lists the fields whose value is usually the same as in the
// record before (a region, a reviewer's name).
var reuseLast = [numSlots]bool{
	slotSector: true, slotRegion: true, slotLocalArea: true, slotReviewStatus: true,
	slotLastReviewedBy: true, slotVacancyBy: true, slotWithdrawalBy: true, slotWithdrawalPrior: true,
}

// decodeSignatory decodes a stored record in either form: binary (schema
// 3) or JSON (schemas 1 and 2, read when such a file is opened read-only).
// The result shares no memory with data.
func (d *sigDecoder) decodeSignatory(data []byte, s *model.Signatory) error {
	if len(data) > 0 && data[0] == '{' {
		*s = model.Signatory{}
		return json.Unmarshal(data, s)
	}
	return d.decodeBinary(data, s)
}

func (d *sigDecoder) decodeBinary(data []byte, out *model.Signatory) error {
	if len(data) == 0 {
		return errors.New("the record is empty")
	}
	if data[0] != sigFormat1 {
		return fmt.Errorf("unknown record format %d (this charter reads format %d)", data[0], sigFormat1)
	}
	r := sigReader{b: data, pos: 1}
	// The record is built on the stack and copied out once: the list a
	// load fills is written once per record, not zeroed and then filled
	// field by field.
	var rec model.Signatory
	s := &rec
	s.ID = r.uvarint()
	s.Version = r.uvarint()
	flags := r.byte()
	if flags&^(sigHasEmployees|sigVacancyStatement) != 0 {
		r.pos--
		r.fail("unknown flags %#x", flags)
	}
	s.Commitments = model.CommitmentSet(r.byte())
	s.VacancyStatement = flags&sigVacancyStatement != 0
	if flags&sigHasEmployees != 0 {
		n := r.varint()
		if int64(int(n)) != n {
			r.fail("employees %d does not fit an int", n)
		}
		if len(d.ints) == 0 {
			d.ints = make([]int, 1)
			if d.bulk {
				d.ints = make([]int, 256)
			}
		}
		d.ints[0] = int(n)
		s.Employees = &d.ints[0]
		d.ints = d.ints[1:]
	}
	s.SignedOn = r.time()
	s.LastReviewedOn = r.time()
	s.VacancyEvidence.On = r.time()
	s.Withdrawal.On = r.time()
	s.Created = r.time()
	s.Updated = r.time()
	nev := r.uvarint()
	// Each entry takes at least four bytes, so a count the record cannot
	// hold is refused before anything is allocated for it.
	if nev > uint64(len(data)-r.pos)/4 {
		r.fail("%d evidence entries cannot fit in the record", nev)
	}
	if r.err != nil {
		return r.err
	}
	if nev > 0 {
		s.Evidence = make([]model.CommitmentEvidence, nev)
		for i := range s.Evidence {
			s.Evidence[i].Commitment = model.Commitment(r.byte())
			s.Evidence[i].On = r.time()
		}
	}
	var fixed [numSlots]int
	for i := range fixed {
		fixed[i] = int(min(r.uvarint(), uint64(len(data))))
	}
	evLens := make([]int, 2*nev)
	for i := range evLens {
		evLens[i] = int(min(r.uvarint(), uint64(len(data))))
	}
	if r.err != nil {
		return r.err
	}
	total := 0
	for _, n := range fixed {
		total += n
	}
	for _, n := range evLens {
		total += n
	}
	text := data[r.pos:]
	if total != len(text) {
		return fmt.Errorf("byte %d of %d: the text fields take %d bytes but %d follow", r.pos, len(data), total, len(text))
	}

	// Fields that match a shared value take no copy; the rest are copied
	// once, into one allocation, and sliced from it.
	var shared [numSlots]string
	var isShared, asContact [numSlots]bool
	own := 0
	off := 0
	var contact []byte
	for i, n := range fixed {
		v := text[off : off+n]
		off += n
		if i == slotContactName {
			contact = v
		}
		if n == 0 {
			isShared[i] = true
			continue
		}
		if v, ok := d.known(i, v); ok {
			shared[i], isShared[i] = v, true
			continue
		}
		// The one who signed is usually the contact.
		if i == slotSignedBy && string(v) == string(contact) {
			asContact[i] = true
			continue
		}
		own += n
	}
	for _, n := range evLens {
		own += n
	}
	var buf []byte
	if own > 0 {
		if cap(d.text)-len(d.text) < own {
			d.newBlock(own)
		}
		buf = d.text[len(d.text) : len(d.text) : len(d.text)+own]
		d.text = d.text[:len(d.text)+own]
	}
	str := func(v []byte) string {
		if len(v) == 0 {
			return ""
		}
		start := len(buf)
		buf = append(buf, v...)
		return unsafe.String(&buf[start], len(v))
	}
	var texts [numSlots]string
	off = 0
	for i, n := range fixed {
		v := text[off : off+n]
		off += n
		switch {
		case isShared[i]:
			texts[i] = shared[i]
		case asContact[i]:
			texts[i] = texts[slotContactName]
		default:
			texts[i] = str(v)
		}
		if reuseLast[i] && n > 0 {
			d.last[i] = texts[i]
		}
	}
	for i := range s.Evidence {
		n := evLens[2*i]
		s.Evidence[i].Note = str(text[off : off+n])
		off += n
		n = evLens[2*i+1]
		s.Evidence[i].By = str(text[off : off+n])
		off += n
	}
	s.Organisation = texts[slotOrganisation]
	s.ContactName = texts[slotContactName]
	s.Email = texts[slotEmail]
	s.Sector = model.Sector(texts[slotSector])
	s.Region = texts[slotRegion]
	s.LocalArea = texts[slotLocalArea]
	s.SignedBy = texts[slotSignedBy]
	s.ReviewStatus = model.ReviewStatus(texts[slotReviewStatus])
	s.Notes = texts[slotNotes]
	s.LastReviewedBy = texts[slotLastReviewedBy]
	s.VacancyEvidence.Note = texts[slotVacancyNote]
	s.VacancyEvidence.By = texts[slotVacancyBy]
	s.Withdrawal.Reason = texts[slotWithdrawalReason]
	s.Withdrawal.By = texts[slotWithdrawalBy]
	s.Withdrawal.Prior = model.ReviewStatus(texts[slotWithdrawalPrior])
	*out = rec
	return nil
}

// known returns a shared string equal to v for field slot, if there is one.
func (d *sigDecoder) known(slot int, v []byte) (string, bool) {
	if reuseLast[slot] && d.last[slot] == string(v) {
		return d.last[slot], true
	}
	for _, k := range knownTexts[slot] {
		if k == string(v) {
			return k, true
		}
	}
	return "", false
}

// decodeSignatory decodes one stored record with a decoder of its own.
func decodeSignatory(data []byte, s *model.Signatory) error {
	var d sigDecoder
	return d.decodeSignatory(data, s)
}

// binarySchema is the first schema that stores signatories in binary.
const binarySchema = 3
