package store

import (
	"sync"

	"charter/model"
)

// hub fans committed changes out to subscribers. Publishing never blocks a
// writer: a subscriber whose buffer is full misses that event (its screen
// catches up on the next one, which makes it re-read).
type hub struct {
	mu     sync.Mutex
	subs   map[int]chan model.Event
	next   int
	closed bool
}

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
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if c, ok := h.subs[id]; ok {
				delete(h.subs, id)
				close(c)
			}
		})
	}
}

func (h *hub) publish(ev model.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- ev:
		default:
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
// at all if it rolls back.
func (db *DB) publishOnCommit(tx interface{ OnCommit(func()) }, ev model.Event) {
	tx.OnCommit(func() { db.hub.publish(ev) })
}
