package policy

// UserSecondFactor is enrolling, confirming or removing the TOTP second
// factor of an account.
const UserSecondFactor Action = "user.second_factor"

func init() {
	register(map[Action]rule{
		// Only the account's holder can enrol a second factor (the secret
		// must reach their device and nobody else's); an administrator may
		// remove it for someone who lost their device.
		UserSecondFactor: func(a Actor, r Resource) Decision {
			switch {
			case r.UserID != 0 && r.UserID == a.UserID:
				return allow("own account")
			case a.Has(GSAdmin) && r.State == SecondFactorRemove:
				return allow("administrators reset a lost second factor")
			case a.Has(GSAdmin):
				return deny("only the account holder enrols a second factor")
			default:
				return hide("another user's account")
			}
		},
	})
}

// SecondFactorRemove is the Resource.State of a request to remove a second
// factor (rather than to enrol one).
const SecondFactorRemove = "remove"
