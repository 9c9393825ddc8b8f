package screening

import (
	"slices"
	"strings"
	"sync"

	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
)

// Small code tables that let an index entry name its owner, status, type
// and audience in a few bits.

// owners numbers the member countries from 1; 0 is "unknown".
var owners, ownerCode = func() ([]string, map[string]uint32) {
	codes := []string{""}
	idx := map[string]uint32{}
	for _, c := range member.All() {
		idx[c.Alpha2] = uint32(len(codes))
		codes = append(codes, c.Alpha2)
	}
	if len(codes) > 1<<metaOwnerBits {
		panic("screening: more members than an index entry can name")
	}
	return codes, idx
}()

var statuses = append([]string{""}, records.DocumentStatuses...)

var docTypes = append([]string{""}, records.DocumentTypes...)

func code(table []string, s string) uint32 {
	if i := slices.Index(table, s); i > 0 {
		return uint32(i)
	}
	return 0
}

func init() {
	if len(statuses) > 1<<metaStatusBits || len(docTypes) > 1<<metaTypeBits {
		panic("screening: more document statuses or types than an index entry can name")
	}
}

// audienceTable numbers the distinct audiences; 0 is "all members". There
// are few distinct audiences (owners reuse their lists), so a record names
// its audience in 16 bits.
type audienceTable struct {
	mu   sync.RWMutex
	list []policy.Audience
	idx  map[string]uint32
}

func newAudienceTable() *audienceTable {
	return &audienceTable{list: []policy.Audience{{Mode: policy.AllMembers}}, idx: map[string]uint32{"all:": 0}}
}

// code returns the number of au, adding it when new. When the table is
// full the record is shown to nobody outside its owner and the General
// Secretariat rather than to too many.
func (t *audienceTable) code(au policy.Audience) uint32 {
	if au.Mode == "" || au.Mode == policy.AllMembers {
		return 0
	}
	key := string(au.Mode) + ":" + strings.Join(au.Countries, ",")
	t.mu.RLock()
	c, ok := t.idx[key]
	t.mu.RUnlock()
	if ok {
		return c
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.idx[key]; ok {
		return c
	}
	if len(t.list) >= 1<<16-1 {
		return t.nobody()
	}
	c = uint32(len(t.list))
	t.list = append(t.list, policy.Audience{Mode: au.Mode, Countries: slices.Clone(au.Countries)})
	t.idx[key] = c
	return c
}

// nobody is the audience of no other country; the caller holds the lock.
func (t *audienceTable) nobody() uint32 {
	key := "only:"
	if c, ok := t.idx[key]; ok {
		return c
	}
	c := uint32(len(t.list))
	t.list = append(t.list, policy.Audience{Mode: policy.OnlyListed})
	t.idx[key] = c
	return c
}

func (t *audienceTable) get(c uint32) policy.Audience {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if int(c) < len(t.list) {
		return t.list[c]
	}
	return policy.Audience{Mode: policy.OnlyListed}
}
