package policy

// NoticeScreenMatch is showing a published person notice as a screening
// match. The screening index holds only published notices, so the
// resource is judged as a published notice whatever state it carries: a
// country the owner excluded does not learn that the notice exists.
const NoticeScreenMatch Action = "notice.screen_match"

func init() {
	register(map[Action]rule{
		NoticeScreenMatch: func(a Actor, r Resource) Decision {
			r.State = NoticePublished
			return noticeVisible(a, r)
		},
	})
}
