package policy

// Actions on members, accounts, tokens and the audit trail.
const (
	MemberRead  Action = "member.read"
	UserList    Action = "user.list"
	UserRead    Action = "user.read"
	UserManage  Action = "user.manage" // create, disable, set roles or password of another user
	TokenCreate Action = "token.create"
	TokenList   Action = "token.list"
	TokenRevoke Action = "token.revoke"
	AuditRead   Action = "audit.read"
)

func init() {
	register(map[Action]rule{
		MemberRead: func(Actor, Resource) Decision { return allow("the member directory is public") },
		UserList: func(a Actor, _ Resource) Decision {
			if a.Has(GSAdmin) {
				return allow("administrators manage accounts")
			}
			return deny("only an administrator lists accounts")
		},
		UserRead:   ownOrAdmin,
		UserManage: adminOnly,
		// Tokens belong to one user: that user (or an administrator) manages
		// them; another user's token is not even acknowledged.
		TokenCreate: ownOrAdmin,
		TokenList:   ownOrAdmin,
		TokenRevoke: ownOrAdmin,
		AuditRead: func(a Actor, _ Resource) Decision {
			if a.Has(DPO) {
				return allow("the data protection officer reads the audit trail")
			}
			return deny("only the data protection officer reads the audit trail")
		},
	})
}

func adminOnly(a Actor, _ Resource) Decision {
	if a.Has(GSAdmin) {
		return allow("administrators manage accounts")
	}
	return deny("only an administrator manages accounts")
}

func ownOrAdmin(a Actor, r Resource) Decision {
	switch {
	case r.UserID != 0 && r.UserID == a.UserID:
		return allow("own account")
	case a.Has(GSAdmin):
		return allow("administrators manage accounts")
	default:
		return hide("another user's account")
	}
}
