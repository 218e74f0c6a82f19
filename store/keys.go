package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"charter/model"
)

// Annotation keys (schema 2). A return is named by its region, question id
// and respondent, each written as its byte length (an unsigned varint) and
// then its bytes. No name can make two returns share a key, whatever
// characters it holds, and the encoding of a region alone is a prefix that
// selects exactly that region's keys: "Test" never selects "Test/North".

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// annKey is the key of a return's annotation.
func annKey(k model.ReturnKey) []byte {
	b := make([]byte, 0, len(k.Region)+len(k.QuestionID)+len(k.Respondent)+6)
	b = appendField(b, k.Region)
	b = appendField(b, k.QuestionID)
	return appendField(b, k.Respondent)
}

// regionPrefix starts every annotation and history key of one region.
func regionPrefix(region string) []byte { return appendField(nil, region) }

// annHistoryKey is the key of one history entry: the annotation's key, the
// version it made (8 bytes, big-endian) and its place among the changes of
// that version (one byte), so a prefix scan lists a return's history in order.
func annHistoryKey(k model.ReturnKey, version uint64, n int) []byte {
	b := append(annKey(k), itob(version)...)
	return append(b, byte(n))
}

// splitAnnKey reads the three fields at the start of b and returns what
// follows them.
func splitAnnKey(b []byte) (model.ReturnKey, []byte, error) {
	var f [3]string
	names := [3]string{"region", "question id", "respondent"}
	for i := range f {
		n, w := binary.Uvarint(b)
		if w <= 0 {
			return model.ReturnKey{}, nil, fmt.Errorf("the length of its %s is not a valid number", names[i])
		}
		b = b[w:]
		if n > uint64(len(b)) {
			return model.ReturnKey{}, nil, fmt.Errorf("its %s is %d bytes long but only %d follow", names[i], n, len(b))
		}
		if !utf8.Valid(b[:n]) {
			return model.ReturnKey{}, nil, fmt.Errorf("its %s is not valid UTF-8", names[i])
		}
		f[i] = string(b[:n])
		b = b[n:]
	}
	return model.ReturnKey{Region: f[0], QuestionID: f[1], Respondent: f[2]}, b, nil
}

var errTrailing = errors.New("bytes follow the respondent")

// decodeAnnKey reads an annotation key. Only the exact bytes annKey writes
// are accepted, so every return has one key.
func decodeAnnKey(b []byte) (model.ReturnKey, error) {
	k, rest, err := splitAnnKey(b)
	if err != nil {
		return k, err
	}
	if len(rest) != 0 {
		return k, errTrailing
	}
	if !bytes.Equal(b, annKey(k)) {
		return k, errors.New("its lengths are not written in their shortest form")
	}
	return k, nil
}

// decodeAnnHistoryKey reads a history entry's key.
func decodeAnnHistoryKey(b []byte) (model.ReturnKey, uint64, int, error) {
	k, rest, err := splitAnnKey(b)
	if err != nil {
		return k, 0, 0, err
	}
	if len(rest) != 9 {
		return k, 0, 0, fmt.Errorf("%d bytes follow the respondent; a version and a change number take 9", len(rest))
	}
	if !bytes.Equal(b[:len(b)-9], annKey(k)) {
		return k, 0, 0, errors.New("its lengths are not written in their shortest form")
	}
	return k, binary.BigEndian.Uint64(rest[:8]), int(rest[8]), nil
}

// Schema 1 keyed an annotation by region, question id and respondent
// joined with "/" (model.ReturnKey.String), and a history entry by that
// text, a zero byte, the version (8 bytes) and the change number (1 byte).

func v1AnnKey(k model.ReturnKey) string { return k.Region + "/" + k.QuestionID + "/" + k.Respondent }

// v1HistoryPrefix selects a schema-1 return's history entries.
func v1HistoryPrefix(k model.ReturnKey) []byte { return []byte(v1AnnKey(k) + "\x00") }

// splitV1HistoryKey reads a schema-1 history key from its end, where the
// fixed-size part is, so a name holding a zero byte cannot confuse it.
func splitV1HistoryKey(b []byte) (key string, version uint64, n int, ok bool) {
	if len(b) < 10 || b[len(b)-10] != 0 {
		return "", 0, 0, false
	}
	return string(b[:len(b)-10]), binary.BigEndian.Uint64(b[len(b)-9 : len(b)-1]), int(b[len(b)-1]), true
}

// keyText shows a return in messages: each name quoted, so that a "/" in
// a name cannot mislead and no control character reaches a terminal.
func keyText(k model.ReturnKey) string {
	return "region " + strconv.Quote(k.Region) + ", question " + strconv.Quote(k.QuestionID) + ", respondent " + strconv.Quote(k.Respondent)
}
