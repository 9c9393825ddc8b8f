// Package policy answers every access question in relais: may this actor
// take this action on this resource? Handlers and services ask it; nothing
// else decides. A denial says whether the resource must be hidden (answered
// as "not found", so that its existence does not leak) or merely refused.
package policy

import (
	"slices"
	"strings"
)

// Role is a job a user does; a user may hold several.
type Role string

const (
	GSAdmin    Role = "gs-admin"    // runs the organisation's instance: members, users
	GSReviewer Role = "gs-reviewer" // reviews notice requests for compliance
	NCBOfficer Role = "ncb-officer" // works for a National Central Bureau
	Frontline  Role = "frontline"   // border or field officer, or a border system
	DPO        Role = "dpo"         // data protection officer
	Press      Role = "press"       // press office: media releases
)

// Roles lists every role.
func Roles() []Role { return []Role{GSAdmin, GSReviewer, NCBOfficer, Frontline, DPO, Press} }

// ParseRole accepts a role name.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.TrimSpace(strings.ToLower(s)))
	return r, slices.Contains(Roles(), r)
}

// GeneralSecretariat is the organisation code of the General Secretariat.
const GeneralSecretariat = "GS"

// Actor is who asks.
type Actor struct {
	UserID   int64
	Username string
	Org      string // organisation code: a member country's alpha-2, or GS
	Roles    []Role
}

// Anonymous is the actor of a request without credentials.
var Anonymous = Actor{Username: "-", Org: "-"}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// IsGS reports whether the actor works for the General Secretariat.
func (a Actor) IsGS() bool { return a.Org == GeneralSecretariat }

// Authenticated reports whether the actor is a signed-in user.
func (a Actor) Authenticated() bool { return a.UserID != 0 }

// Action is something an actor wants to do.
type Action string

// Audience says which member countries may see a resource, besides its owner
// and the General Secretariat.
type Audience struct {
	Mode      AudienceMode `json:"mode"`
	Countries []string     `json:"countries,omitempty"`
}

// AudienceMode is how an Audience reads its country list.
type AudienceMode string

const (
	AllMembers   AudienceMode = "all"    // every member
	OnlyListed   AudienceMode = "only"   // only the listed countries
	AllButListed AudienceMode = "except" // every member but the listed countries
)

// Includes reports whether country org is in the audience.
func (au Audience) Includes(org string) bool {
	switch au.Mode {
	case OnlyListed:
		return slices.Contains(au.Countries, org) || slices.Contains(au.Countries, "*")
	case AllButListed:
		return !slices.Contains(au.Countries, org)
	default:
		return true
	}
}

// Resource is what an action is taken on. Fields a rule does not need stay zero.
type Resource struct {
	Kind     string
	ID       string
	Owner    string   // organisation that owns it
	Audience Audience // who besides the owner may see it
	State    string   // lifecycle state, for resources that have one
	UserID   int64    // for user resources: whose
}

// Decision is the answer to an access question.
type Decision struct {
	Allowed bool
	// Hidden means the actor may not even know the resource exists: answer
	// "not found", never "forbidden".
	Hidden bool
	Reason string
}

func allow(reason string) Decision { return Decision{Allowed: true, Reason: reason} }
func deny(reason string) Decision  { return Decision{Reason: reason} }
func hide(reason string) Decision  { return Decision{Hidden: true, Reason: reason} }

// rule decides one action.
type rule func(a Actor, r Resource) Decision

// rules maps every action relais knows to its rule. An action missing here is
// denied, so that a new action cannot be open by accident.
var rules = map[Action]rule{}

func register(table map[Action]rule) {
	for act, r := range table {
		if _, dup := rules[act]; dup {
			panic("policy: action registered twice: " + string(act))
		}
		rules[act] = r
	}
}

// Can answers whether actor a may take action act on resource r.
func Can(a Actor, act Action, r Resource) Decision {
	if !a.Authenticated() && !publicActions[act] {
		return deny("sign-in required")
	}
	rule, ok := rules[act]
	if !ok {
		return deny("unknown action " + string(act))
	}
	return rule(a, r)
}

// publicActions need no signed-in actor.
var publicActions = map[Action]bool{
	MemberRead: true,
}

func anyRole(roles ...Role) func(a Actor) bool {
	return func(a Actor) bool {
		for _, r := range roles {
			if a.Has(r) {
				return true
			}
		}
		return false
	}
}

// Console is the operator at the machine's console (the relais command line),
// who holds the database itself and so administers the instance.
var Console = Actor{UserID: -1, Username: "console", Org: GeneralSecretariat, Roles: []Role{GSAdmin}}

// ParseRoles splits a comma-separated list of role names. It does not check
// them: ParseRole does.
func ParseRoles(s string) []Role {
	var out []Role
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, Role(p))
		}
	}
	return out
}

// JoinRoles writes roles as one string, separated by sep.
func JoinRoles(roles []Role, sep string) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, sep)
}
