package policy

// Actions on the press office's media releases.
const (
	MediaReleaseWrite   Action = "media_release.write"   // create a release, add or edit a language version, add photos
	MediaReleasePublish Action = "media_release.publish" // publish or withdraw
	MediaReleaseRead    Action = "media_release.read"
	MediaReleaseList    Action = "media_release.list"
)

// Media release states, as the policy sees them.
const (
	MediaDraft     = "draft"
	MediaPublished = "published"
	MediaWithdrawn = "withdrawn"
)

func init() {
	// Published releases are for the public: no sign-in needed to read them.
	publicActions[MediaReleaseRead] = true
	publicActions[MediaReleaseList] = true
	pressOnly := func(a Actor, _ Resource) Decision {
		if a.Has(Press) {
			return allow("the press office writes and publishes media releases")
		}
		return deny("only the press office writes media releases")
	}
	register(map[Action]rule{
		MediaReleaseWrite:   pressOnly,
		MediaReleasePublish: pressOnly,
		// A draft or withdrawn release is the press office's own business:
		// to anyone else it does not exist.
		MediaReleaseRead: func(a Actor, r Resource) Decision {
			switch {
			case r.State == MediaPublished:
				return allow("published releases are public")
			case a.Has(Press):
				return allow("the press office reads its drafts")
			default:
				return hide("release not published")
			}
		},
		// Listing is open to all; the service lists drafts only to the
		// press office (State "draft" asks for them).
		MediaReleaseList: func(a Actor, r Resource) Decision {
			if r.State == "" || r.State == MediaPublished || a.Has(Press) {
				return allow("published releases are public")
			}
			return deny("only the press office lists unpublished releases")
		},
	})
}
