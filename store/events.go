package store

import (
	"sync"

	"charter/model"
)

// hub fans committed changes out to subscribers. Publishing never blocks a
// writer and never drops an event silently: each event gets the next
// sequence number, and a subscriber whose buffer is full is closed (its
// channel is closed and it is forgotten), as benbjohnson/wtf's in-memory
// event service does. The subscriber then knows it has missed something,
// reloads everything and subscribes again.
type hub struct {
	mu     sync.Mutex
	subs   map[int]chan model.Event
	next   int
	seq    uint64
	closed bool
}

// subscriberBuffer is how many events a subscriber may fall behind before
// it is closed. An import is one event, so only a burst of single writes
// by other sessions while a screen is busy can fill it.
const subscriberBuffer = 64

func newHub() *hub { return &hub{subs: map[int]chan model.Event{}} }

func (h *hub) subscribe() (<-chan model.Event, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan model.Event, subscriberBuffer)
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	id := h.next
	h.next++
	h.subs[id] = ch
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		// Closed already if it fell behind or the hub closed: then it is
		// no longer in the map and there is nothing to do.
		if c, ok := h.subs[id]; ok {
			delete(h.subs, id)
			close(c)
		}
	}
}

// publish numbers ev and sends it to every subscriber that has room;
// the others are closed.
func (h *hub) publish(ev model.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.seq++
	ev.Seq = h.seq
	for id, ch := range h.subs {
		select {
		case ch <- ev:
		default:
			delete(h.subs, id)
			close(ch)
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for id, ch := range h.subs {
		delete(h.subs, id)
		close(ch)
	}
}

// publishOnCommit sends ev to subscribers once tx has committed, and not
// at all if it rolls back. The write must run through db.update, which
// keeps commits and their events in one order.
func (db *DB) publishOnCommit(tx interface{ OnCommit(func()) }, ev model.Event) {
	tx.OnCommit(func() { db.hub.publish(ev) })
}
