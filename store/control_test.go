package store

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// holdHere opens the database read-write in this process, with its
// control socket; a second open of the same file in this process then
// times out, as one from another process would.
func holdHere(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestBackupRefusesExistingDestinationWithoutForce(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(fmt.Sprintf("held=%v", held), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "c.db")
			if held {
				holdHere(t, path)
			} else {
				db, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			dst := filepath.Join(dir, "keep.db")
			if err := os.WriteFile(dst, []byte("precious"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Backup(path, dst, BackupOptions{Timeout: 10 * time.Second})
			if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "--force") {
				t.Fatalf("got %v, want a refusal naming --force", err)
			}
			if b, _ := os.ReadFile(dst); string(b) != "precious" {
				t.Fatalf("destination overwritten: %q", b)
			}
			res, err := Backup(path, dst, BackupOptions{Force: true, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if res.ViaHolder != held || res.Check.Signatories == 0 || res.Check.Returns == 0 || res.Check.Schema != SchemaVersion {
				t.Fatalf("result %+v", res)
			}
			assertFileSum(t, dst, res.Size, res.SHA256)
		})
	}
}

// The holder refuses too, even when the client's own check is bypassed by
// a destination appearing after it looked.
func TestHolderRefusesExistingDestination(t *testing.T) {
	dir := t.TempDir()
	db := holdHere(t, filepath.Join(dir, "c.db"))
	dst := filepath.Join(dir, "keep.db")
	os.WriteFile(dst, []byte("precious"), 0o600)
	_, err := ask(db.path, controlRequest{Op: "backup", Dst: dst}, 10*time.Second)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "precious" {
		t.Fatalf("destination overwritten: %q", b)
	}
}

func TestBackupDoesNotFollowPlantedTmpSymlink(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(fmt.Sprintf("held=%v", held), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "c.db")
			if held {
				holdHere(t, path)
			} else {
				db, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			victim := filepath.Join(dir, "victim")
			os.WriteFile(victim, []byte("the holder's file"), 0o600)
			dst := filepath.Join(dir, "b.db")
			if err := os.Symlink(victim, dst+".tmp"); err != nil {
				t.Fatal(err)
			}
			_, err := Backup(path, dst, BackupOptions{Timeout: 10 * time.Second})
			if err == nil || !strings.Contains(err.Error(), ".tmp already exists") {
				t.Fatalf("got %v", err)
			}
			if b, _ := os.ReadFile(victim); string(b) != "the holder's file" {
				t.Fatalf("symlink followed: victim now %d bytes", len(b))
			}
			if fi, err := os.Lstat(dst + ".tmp"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("planted link changed: %v %v", fi, err)
			}
			if _, err := os.Lstat(dst); !os.IsNotExist(err) {
				t.Fatalf("destination written: %v", err)
			}
		})
	}
}

// fakeHolder holds the database's lock without a control socket and
// answers at DB.sock with whatever reply says.
func fakeHolder(t *testing.T, path string, reply func(controlRequest) controlReply) {
	t.Helper()
	if db, err := Open(path, Options{}); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bdb.Close() })
	ln, err := net.Listen("unix", socketPath(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			var req controlRequest
			line, _ := bufio.NewReader(c).ReadBytes('\n')
			json.Unmarshal(line, &req)
			json.NewEncoder(c).Encode(reply(req))
			c.Close()
		}
	}()
}

func TestFakeSocketCannotMakeBackupSucceed(t *testing.T) {
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	cases := map[string]func(dir string) func(controlRequest) controlReply{
		"says ok, writes nothing": func(string) func(controlRequest) controlReply {
			return func(controlRequest) controlReply {
				return controlReply{OK: true, Size: 4096, SHA256: sum([]byte("x"))}
			}
		},
		"says ok with no figures": func(string) func(controlRequest) controlReply {
			return func(controlRequest) controlReply { return controlReply{OK: true} }
		},
		"writes junk it describes truly": func(string) func(controlRequest) controlReply {
			return func(req controlRequest) controlReply {
				junk := []byte("not a database at all")
				os.WriteFile(req.Dst, junk, 0o600)
				return controlReply{OK: true, Size: int64(len(junk)), SHA256: sum(junk)}
			}
		},
		"writes a copy but lies about it": func(dir string) func(controlRequest) controlReply {
			return func(req controlRequest) controlReply {
				db, err := Open(filepath.Join(dir, "other.db"), Options{})
				if err != nil {
					return controlReply{Error: err.Error()}
				}
				defer db.Close()
				size, _, err := db.backupTo(req.Dst, req.Force)
				if err != nil {
					return controlReply{Error: err.Error()}
				}
				return controlReply{OK: true, Size: size, SHA256: sum([]byte("lie"))}
			}
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "c.db")
			fakeHolder(t, path, mk(dir))
			_, err := Backup(path, filepath.Join(dir, "b.db"), BackupOptions{Timeout: 5 * time.Second})
			if err == nil {
				t.Fatal("backup reported success on a fake reply")
			}
		})
	}
	t.Run("reports the old file as new", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "c.db")
		dst := filepath.Join(dir, "old.db")
		old, err := Open(dst, Options{})
		if err != nil {
			t.Fatal(err)
		}
		old.Close()
		data, _ := os.ReadFile(dst)
		fakeHolder(t, path, func(controlRequest) controlReply {
			return controlReply{OK: true, Size: int64(len(data)), SHA256: sum(data)}
		})
		_, err = Backup(path, dst, BackupOptions{Force: true, Timeout: 5 * time.Second})
		if err == nil || !strings.Contains(err.Error(), "no copy was written") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestCheckPathFreeAndHeld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := db.CountSignatories()
	db.Close()
	free, err := CheckPath(path, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if free.ViaHolder || free.Schema != SchemaVersion || free.Signatories != n || free.Regions == 0 || free.Returns == 0 {
		t.Fatalf("free report %+v (want %d signatories)", free, n)
	}
	holdHere(t, path)
	start := time.Now()
	held, err := CheckPath(path, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !held.ViaHolder {
		t.Fatalf("held report not via the holder: %+v", held)
	}
	held.ViaHolder = false
	if held != free {
		t.Fatalf("held %+v, free %+v", held, free)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("check of a held file took %v", d)
	}
}

func TestCheckPathReportsFaultsOfHeldFile(t *testing.T) {
	db := openTest(t, false)
	s := sample("Skewed", 3)
	if err := db.CreateSignatory(&s, "t"); err != nil {
		t.Fatal(err)
	}
	// Skew the tier aggregate so a check finds a fault.
	db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyTiers, []byte(`{"gold":99}`))
	})
	rep, err := CheckPath(db.path, 10*time.Second)
	var ce *CheckError
	if !errors.As(err, &ce) || len(ce.Faults) == 0 || !rep.ViaHolder || rep.Signatories != 1 {
		t.Fatalf("got %+v, %v", rep, err)
	}
}

func TestControlSocketIsRecreated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db := holdHere(t, path)
	var mu sync.Mutex
	var warnings []string
	db.SetWarn(func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() })
	if err := os.Remove(socketPath(path)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err := CheckPath(path, 5*time.Second); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("socket not recreated within 3 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warnings) == 0 || !strings.Contains(warnings[0], "made it again") {
		t.Errorf("warnings %q", warnings)
	}
	fi, err := os.Lstat(socketPath(path))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("recreated socket %v %v", fi, err)
	}
}

func TestControlSocketWarnsWhenPathTooLong(t *testing.T) {
	dir := t.TempDir()
	for len(dir) < maxSocketPath {
		dir = filepath.Join(dir, strings.Repeat("d", 30))
	}
	path := filepath.Join(dir, "c.db")
	db := holdHere(t, path)
	var got []string
	db.SetWarn(func(m string) { got = append(got, m) })
	if len(got) != 1 || !strings.Contains(got[0], "longer than") || !strings.Contains(got[0], "backup") {
		t.Fatalf("warnings %q", got)
	}
	if db.ControlSocket() != "" {
		t.Fatal("reports a socket it could not make")
	}
}

func TestControlSocketModeUnderPermissiveUmask(t *testing.T) {
	old := syscall.Umask(0)
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := Open(path, Options{})
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, err := os.Lstat(socketPath(path))
	if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v %v", fi, err)
	}
	// No temporary directory is left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".csock") {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

func TestControlRequestsLimited(t *testing.T) {
	db := holdHere(t, filepath.Join(t.TempDir(), "c.db"))
	for _, req := range []controlRequest{
		{Op: "export"},
		{Op: "backup", Dst: "relative.db"},
		{Op: "backup", Dst: "/tmp/../tmp/x.db"},
		{Op: ""},
	} {
		if _, err := ask(db.path, req, 5*time.Second); err == nil {
			t.Errorf("%+v accepted", req)
		}
	}
	// A line longer than any request is cut off, not buffered.
	c, err := net.Dial("unix", socketPath(db.path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	go c.Write([]byte(strings.Repeat("x", 1<<20)))
	b, _ := io.ReadAll(c)
	if strings.Contains(string(b), `"ok":true`) {
		t.Fatalf("oversized request answered %q", b)
	}
}

// TestHelperDialAsOther runs as another user and tries to use the socket.
func TestHelperDialAsOther(t *testing.T) {
	sock := os.Getenv("CHARTER_TEST_DIAL")
	if sock == "" {
		t.Skip("helper process only")
	}
	c, err := net.Dial("unix", sock)
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	data, _ := json.Marshal(controlRequest{Op: "backup", Dst: os.Getenv("CHARTER_TEST_DST")})
	c.Write(append(data, '\n'))
	b, _ := io.ReadAll(c)
	fmt.Printf("reply: %q\n", b)
}

func TestOtherUserCannotUseControlSocket(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a helper as another user")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody")
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	// A directory everyone can enter and write, as a careless setup or a
	// umask of 000 would leave it, holding a copy of the test binary the
	// helper can run.
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir, err := os.MkdirTemp("", "charter-uid-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777)
	bin := filepath.Join(dir, "store.test")
	src, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, src, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stolen := filepath.Join(dir, "stolen.db")
	run := func() string {
		cmd := exec.Command(bin, "-test.run=^TestHelperDialAsOther$", "-test.v")
		cmd.Dir = dir
		cmd.Env = []string{"CHARTER_TEST_DIAL=" + socketPath(path), "CHARTER_TEST_DST=" + stolen}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("helper: %v\n%s", err, out)
		}
		t.Logf("helper as uid %d: %s", uid, out)
		return string(out)
	}
	out := run()
	if !strings.Contains(out, "refused:") {
		t.Fatalf("another user connected under umask 000:\n%s", out)
	}
	// Even with the socket's mode opened up, the peer check refuses.
	if err := os.Chmod(socketPath(path), 0o777); err != nil {
		t.Fatal(err)
	}
	out = run()
	if !strings.Contains(out, `reply: ""`) && !strings.Contains(out, "refused:") {
		t.Fatalf("another user was answered:\n%s", out)
	}
	if _, err := os.Lstat(stolen); !os.IsNotExist(err) {
		t.Fatalf("a backup was written for another user: %v", err)
	}
}

func assertFileSum(t *testing.T, path string, size int64, sum string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	if int64(len(b)) != size || hex.EncodeToString(s[:]) != sum {
		t.Fatalf("file %d bytes %x; reported %d %s", len(b), s, size, sum)
	}
}
