package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"charter/model"
)

// drain reads ch until it is closed or nothing arrives for a while.
func drain(ch <-chan model.Event, quiet time.Duration) (evs []model.Event, closed bool) {
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return evs, true
			}
			evs = append(evs, ev)
		case <-time.After(quiet):
			return evs, false
		}
	}
}

func TestEventFloodClosesTheSlowSubscriberOnly(t *testing.T) {
	db := openTest(t, false)
	slow, cancelSlow := db.Subscribe()
	fast, cancelFast := db.Subscribe()
	defer cancelFast()

	const writes = 3 * subscriberBuffer
	// The fast subscriber acknowledges each event, and the writer waits
	// for that, so it is never behind however the machine schedules it.
	var got []model.Event
	ack := make(chan bool, 1)
	go func() {
		for ev := range fast {
			got = append(got, ev)
			ack <- true
		}
		ack <- false
	}()
	for i := 0; i < writes; i++ {
		s := sample(fmt.Sprintf("Flood %d", i), i%8)
		if err := db.CreateSignatory(&s, "flood"); err != nil {
			t.Fatal(err)
		}
		select {
		case ok := <-ack:
			if !ok {
				t.Fatalf("the fast subscriber was closed after %d events", len(got))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("the fast subscriber got no event for write %d", i)
		}
	}
	// The slow subscriber read nothing: it holds the first buffer-full of
	// events, in order, and then its channel is closed rather than skipping.
	evs, closed := drain(slow, 100*time.Millisecond)
	if !closed || len(evs) != subscriberBuffer {
		t.Fatalf("slow subscriber: %d events, closed %v", len(evs), closed)
	}
	for i, ev := range evs {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("slow subscriber's event %d has Seq %d", i, ev.Seq)
		}
	}
	cancelSlow() // after the close: safe, and a no-op
	cancelSlow()

	if len(got) != writes {
		t.Fatalf("fast subscriber got %d of %d events", len(got), writes)
	}
	for i, ev := range got {
		if ev.Seq != uint64(i+1) || ev.Kind != model.EventSignatory || ev.ID != uint64(i+1) {
			t.Fatalf("fast subscriber's event %d: %+v", i, ev)
		}
	}

	// Re-subscribing after the close resumes with the next number.
	again, cancelAgain := db.Subscribe()
	defer cancelAgain()
	s := sample("After the flood", 1)
	if err := db.CreateSignatory(&s, "flood"); err != nil {
		t.Fatal(err)
	}
	if ev := <-again; ev.Seq != writes+1 || ev.ID != s.ID {
		t.Errorf("after re-subscribing: %+v", ev)
	}
}

// Concurrent writers: every subscriber that keeps up sees Seq 1, 2, 3 …
// with no gap and no repeat, and the events follow commit order (each
// record's versions in order).
func TestEventSeqFollowsCommitOrder(t *testing.T) {
	db := openTest(t, false)
	const writers, each = 4, 30
	ch, cancel := db.Subscribe()
	defer cancel()
	var got []model.Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch {
			got = append(got, ev)
			if len(got) == writers*each {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sample(fmt.Sprintf("Writer %d", w), 1)
			if err := db.CreateSignatory(&s, "w"); err != nil {
				t.Error(err)
				return
			}
			for i := 1; i < each; i++ {
				s.Notes = fmt.Sprintf("change %d", i)
				if err := db.UpdateSignatory(&s, "w"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("got %d of %d events", len(got), writers*each)
	}
	last := map[uint64]uint64{}
	for i, ev := range got {
		if ev.Seq != uint64(i+1) {
			t.Fatalf("event %d has Seq %d", i, ev.Seq)
		}
		if ev.Version != last[ev.ID]+1 {
			t.Fatalf("record %d: version %d after %d", ev.ID, ev.Version, last[ev.ID])
		}
		last[ev.ID] = ev.Version
	}
}

func TestCloseEndsEverySubscription(t *testing.T) {
	db := openTest(t, false)
	a, cancelA := db.Subscribe()
	b, _ := db.Subscribe()
	s := sample("Before close", 1)
	if err := db.CreateSignatory(&s, "x"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for name, ch := range map[string]<-chan model.Event{"a": a, "b": b} {
		evs, closed := drain(ch, time.Second)
		if !closed || len(evs) != 1 || evs[0].Seq != 1 {
			t.Errorf("subscriber %s: %v closed %v", name, evs, closed)
		}
	}
	cancelA() // after Close: safe
	late, cancelLate := db.Subscribe()
	if _, ok := <-late; ok {
		t.Error("a subscription after Close delivered an event")
	}
	cancelLate()
}

// Rolled-back writes use no number: the next committed event follows on.
func TestRolledBackWritesLeaveNoGap(t *testing.T) {
	db := openTest(t, false)
	ch, cancel := db.Subscribe()
	defer cancel()
	s := sample("One", 1)
	db.CreateSignatory(&s, "x")
	dup := sample("one", 1)
	if err := db.CreateSignatory(&dup, "x"); err == nil {
		t.Fatal("duplicate accepted")
	}
	stale := s
	stale.Version = 7
	db.UpdateSignatory(&stale, "x")
	if _, err := db.ImportSignatories(genRows(3, "Dry"), model.ImportOptions{DryRun: true}, "x"); err != nil {
		t.Fatal(err)
	}
	k := rk("West Midlands", "nope", "nobody")
	db.Annotate(k, 0, "x", func(a *model.Annotation) { a.Rating = model.RatingMeets })
	t2 := sample("Two", 2)
	db.CreateSignatory(&t2, "x")
	evs, _ := drain(ch, 100*time.Millisecond)
	if len(evs) != 2 || evs[0].Seq != 1 || evs[1].Seq != 2 || evs[1].ID != t2.ID {
		t.Errorf("events %+v", evs)
	}
}
