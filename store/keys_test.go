package store

import (
	"bytes"
	"strings"
	"testing"

	"charter/model"
)

// Pairs of returns whose schema-1 keys were the same text.
var collidingPairs = [][2]model.ReturnKey{
	{rk("Test", "q1/x", "HMP Y"), rk("Test", "q1", "x/HMP Y")},
	{rk("Test/North", "q1", "HMP Z"), rk("Test", "North/q1", "HMP Z")},
	{rk("A/B", "C", "D"), rk("A", "B/C", "D")},
	{rk("", "a", "b/c"), rk("", "a/b", "c")},
}

func TestAnnotationKeysAreDistinctAndRoundTrip(t *testing.T) {
	keys := []model.ReturnKey{
		rk("West Midlands", "civic-prison-3", "Featherstone"),
		rk("", "", ""),
		rk("a\x00b", "\x00", "c"),
		rk("Région", "q‮1", "HMP 👍🏽"),
		rk(strings.Repeat("r", 300), strings.Repeat("q", 200), strings.Repeat("p", 129)),
	}
	for _, p := range collidingPairs {
		if v1AnnKey(p[0]) != v1AnnKey(p[1]) {
			t.Fatalf("not a schema-1 collision: %v", p)
		}
		if bytes.Equal(annKey(p[0]), annKey(p[1])) {
			t.Errorf("%s and %s share a key", keyText(p[0]), keyText(p[1]))
		}
		keys = append(keys, p[0], p[1])
	}
	seen := map[string]model.ReturnKey{}
	for _, k := range keys {
		enc := annKey(k)
		if other, dup := seen[string(enc)]; dup {
			t.Errorf("%s and %s share a key", keyText(k), keyText(other))
		}
		seen[string(enc)] = k
		got, err := decodeAnnKey(enc)
		if err != nil || got != k {
			t.Errorf("decode(annKey(%s)) = %s, %v", keyText(k), keyText(got), err)
		}
		hk, version, n, err := decodeAnnHistoryKey(annHistoryKey(k, 300, 2))
		if err != nil || hk != k || version != 300 || n != 2 {
			t.Errorf("history key of %s: %s %d %d %v", keyText(k), keyText(hk), version, n, err)
		}
		if !bytes.HasPrefix(annKey(k), regionPrefix(k.Region)) {
			t.Errorf("%s does not start with its region's prefix", keyText(k))
		}
	}
	// A region's prefix selects exactly its own keys.
	for _, a := range keys {
		for _, b := range keys {
			if bytes.HasPrefix(annKey(b), regionPrefix(a.Region)) != (a.Region == b.Region) {
				t.Errorf("prefix of region %q vs key of %s", a.Region, keyText(b))
			}
			// One return's history prefix never selects another's history.
			if a != b && bytes.HasPrefix(annHistoryKey(b, 1, 0), annKey(a)) {
				t.Errorf("history of %s is under the prefix of %s", keyText(b), keyText(a))
			}
		}
	}
}

func TestDecodeBadAnnotationKeys(t *testing.T) {
	good := annKey(rk("Test", "q1", "HMP A"))
	tests := []struct {
		name string
		key  []byte
		want string
	}{
		{"empty", nil, "the length of its region is not a valid number"},
		{"schema-1 text", []byte("Test/q1/HMP A"), "its region is 84 bytes long but only 12 follow"},
		{"truncated", good[:len(good)-1], "its respondent is 5 bytes long but only 4 follow"},
		{"trailing bytes", append(append([]byte(nil), good...), 'x'), errTrailing.Error()},
		{"long-form length", append([]byte{0x84, 0x00}, good[1:]...), "its lengths are not written in their shortest form"},
		{"invalid UTF-8", []byte{1, 0xff, 0, 0}, "its region is not valid UTF-8"},
		{"overlong varint", bytes.Repeat([]byte{0xff}, 11), "the length of its region is not a valid number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeAnnKey(tc.key)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	if _, _, _, err := decodeAnnHistoryKey(good); err == nil || err.Error() != "0 bytes follow the respondent; a version and a change number take 9" {
		t.Errorf("history key without version: %v", err)
	}
	if _, err := decodeAnnKey(good); err != nil {
		t.Errorf("good key: %v", err)
	}
}

func TestSplitV1HistoryKey(t *testing.T) {
	k := append(v1HistoryPrefix(rk("a\x00b", "q", "r")), itob(7)...)
	k = append(k, 3)
	text, version, n, ok := splitV1HistoryKey(k)
	if !ok || text != "a\x00b/q/r" || version != 7 || n != 3 {
		t.Errorf("got %q %d %d %v", text, version, n, ok)
	}
	if _, _, _, ok := splitV1HistoryKey([]byte("short")); ok {
		t.Error("short key accepted")
	}
	if _, _, _, ok := splitV1HistoryKey([]byte("abcdefghijkl")); ok {
		t.Error("key without the zero byte accepted")
	}
}
