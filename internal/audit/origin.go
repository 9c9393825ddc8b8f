package audit

import (
	"context"

	"github.com/relais/relais/internal/policy"
)

// Origin is where a request came from; the HTTP layer puts it in the
// request's context so that services can stamp their audit entries.
type Origin struct {
	RequestID  string
	ClientAddr string
}

type originKey struct{}

// WithOrigin returns ctx carrying o.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginOf returns the origin carried by ctx, or the zero Origin.
func OriginOf(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}

// Event starts the audit entry of actor taking action on a resource, with the
// origin carried by ctx.
func Event(ctx context.Context, actor policy.Actor, action policy.Action, kind, id string) Entry {
	o := OriginOf(ctx)
	return Entry{
		Actor:        actor.Username,
		ActorOrg:     actor.Org,
		Action:       string(action),
		ResourceKind: kind,
		ResourceID:   id,
		Outcome:      Allowed,
		RequestID:    o.RequestID,
		ClientAddr:   o.ClientAddr,
	}
}
