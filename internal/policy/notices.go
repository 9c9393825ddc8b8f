package policy

// Actions on notices and diffusions. A notice Resource carries the notice's
// owner (requesting bureau, or GS for notices the General Secretariat
// requests), its audience (every member but the excluded countries), its
// lifecycle state and, in UserID, the id of the user who requested it — so
// that the person who asked can never be the one who approves.
const (
	NoticeCreate      Action = "notice.create"
	NoticeUpdate      Action = "notice.update"
	NoticeSubmit      Action = "notice.submit"
	NoticeStartReview Action = "notice.start_review"
	NoticeRequestInfo Action = "notice.request_info"
	NoticeApprove     Action = "notice.approve"
	NoticeRefuse      Action = "notice.refuse"
	NoticeCancel      Action = "notice.cancel"
	NoticeWithdraw    Action = "notice.withdraw"
	NoticeRead        Action = "notice.read"
	NoticeList        Action = "notice.list"
	// NoticeReadReview is reading a notice's review record: the automated
	// pre-check flags, the reviewers' questions and refusal reasons, and the
	// data of earlier versions.
	NoticeReadReview Action = "notice.read_review"
	// NoticeReviewDue lists published notices whose retention review date
	// has passed.
	NoticeReviewDue Action = "notice.review_due"

	DiffusionSend     Action = "diffusion.send"
	DiffusionRead     Action = "diffusion.read"
	DiffusionList     Action = "diffusion.list"
	DiffusionToNotice Action = "diffusion.to_notice"
)

// Notice states, as the policy sees them.
const (
	NoticeDraft         = "draft"
	NoticeSubmitted     = "submitted"
	NoticeInReview      = "in_review"
	NoticeInfoRequested = "info_requested"
	NoticePublished     = "published"
	NoticeRefused       = "refused"
	NoticeCancelled     = "cancelled"
	NoticeWithdrawn     = "withdrawn"
)

func init() {
	register(map[Action]rule{
		NoticeRead: noticeVisible,
		NoticeList: func(a Actor, _ Resource) Decision {
			if noticeStaff(a) || a.Has(Frontline) {
				return allow("the list shows only the notices the actor may read")
			}
			return deny("only police users and the General Secretariat's notice staff list notices")
		},
		NoticeCreate: func(a Actor, r Resource) Decision {
			switch {
			case r.Owner == GeneralSecretariat && a.IsGS() && a.Has(GSReviewer):
				return allow("the General Secretariat requests notices of its own (UN Security Council Special Notices)")
			case r.Owner == GeneralSecretariat:
				return deny("only the General Secretariat requests UN Security Council Special Notices")
			case a.Has(NCBOfficer) && a.Org == r.Owner:
				return allow("a bureau officer requests notices for the bureau")
			default:
				return deny("notices are requested by an officer of the requesting bureau")
			}
		},
		NoticeUpdate:      noticeOwnerAct("only the requesting bureau changes its notice"),
		NoticeSubmit:      noticeOwnerAct("only the requesting bureau submits its notice"),
		NoticeCancel:      noticeOwnerAct("only the requesting bureau cancels its notice"),
		NoticeStartReview: noticeReviewerAct("only a General Secretariat reviewer reviews notices"),
		NoticeRequestInfo: noticeReviewerAct("only a General Secretariat reviewer asks a bureau for more information"),
		NoticeRefuse:      noticeReviewerAct("only a General Secretariat reviewer refuses a notice"),
		NoticeWithdraw:    noticeReviewerAct("only the General Secretariat withdraws a published notice"),
		NoticeApprove: func(a Actor, r Resource) Decision {
			d := noticeReviewerAct("only a General Secretariat reviewer approves a notice")(a, r)
			if !d.Allowed {
				return d
			}
			if r.UserID != 0 && r.UserID == a.UserID {
				return deny("a notice request cannot be approved by the person who made it; another reviewer must approve")
			}
			return d
		},
		NoticeReadReview: func(a Actor, r Resource) Decision {
			if d := noticeVisible(a, r); !d.Allowed {
				return d
			}
			switch {
			case a.Org == r.Owner && (a.Has(NCBOfficer) || (a.IsGS() && a.Has(GSReviewer))):
				return allow("the requesting bureau reads the review of its request")
			case a.IsGS() && (a.Has(GSReviewer) || a.Has(GSAdmin) || a.Has(DPO)):
				return allow("the General Secretariat keeps the review record")
			default:
				return deny("the review record is for the requesting bureau and the General Secretariat")
			}
		},
		NoticeReviewDue: func(a Actor, _ Resource) Decision {
			if a.IsGS() && (a.Has(DPO) || a.Has(GSReviewer)) {
				return allow("the data protection officer and reviewers run retention reviews")
			}
			return deny("only the data protection officer and General Secretariat reviewers list notices due for review")
		},

		DiffusionSend: func(a Actor, r Resource) Decision {
			if a.Has(NCBOfficer) && a.Org == r.Owner {
				return allow("a bureau officer sends diffusions for the bureau")
			}
			return deny("diffusions are sent by an officer of a National Central Bureau")
		},
		DiffusionRead: diffusionVisible,
		DiffusionList: func(a Actor, _ Resource) Decision {
			if noticeStaff(a) {
				return allow("the list shows only the diffusions the actor may read")
			}
			return deny("only bureau officers and the General Secretariat list diffusions")
		},
		DiffusionToNotice: func(a Actor, r Resource) Decision {
			if d := diffusionVisible(a, r); !d.Allowed {
				return d
			}
			if a.Has(NCBOfficer) && a.Org == r.Owner {
				return allow("the sending bureau turns its diffusion into a notice request")
			}
			return deny("only the bureau that sent a diffusion turns it into a notice request")
		},
	})
}

// noticeStaff are the users who work with notices: bureau officers and the
// General Secretariat's reviewers, administrators and data protection
// officer. The press office is not among them.
func noticeStaff(a Actor) bool {
	return a.Has(NCBOfficer) || (a.IsGS() && (a.Has(GSReviewer) || a.Has(GSAdmin) || a.Has(DPO)))
}

// noticeVisible decides who may know that a notice exists. A notice that is
// not visible is hidden (404), never refused (403), so that neither a draft
// nor a notice from which a country is excluded leaks.
func noticeVisible(a Actor, r Resource) Decision {
	owner := a.Org == r.Owner
	gs := a.IsGS() && (a.Has(GSReviewer) || a.Has(GSAdmin) || a.Has(DPO))
	switch r.State {
	case NoticePublished:
		switch {
		case owner && (a.Has(NCBOfficer) || a.Has(Frontline) || gs):
			return allow("the requesting bureau's own notice")
		case gs:
			return allow("the General Secretariat oversees every published notice")
		case (a.Has(NCBOfficer) || a.Has(Frontline)) && r.Audience.Includes(a.Org):
			return allow("published notices circulate to every member the owner did not exclude")
		case a.Has(NCBOfficer) || a.Has(Frontline):
			return hide("the requesting bureau excluded this country")
		default:
			return hide("published notices are for police users")
		}
	case NoticeDraft:
		if owner && (a.Has(NCBOfficer) || (a.IsGS() && a.Has(GSReviewer))) {
			return allow("a draft is its bureau's own")
		}
		return hide("a draft is seen only by the requesting bureau")
	default:
		switch {
		case owner && (a.Has(NCBOfficer) || (a.IsGS() && a.Has(GSReviewer))):
			return allow("the requesting bureau follows its request")
		case gs:
			return allow("the General Secretariat reviews submitted requests")
		default:
			return hide("a request under review or out of circulation is seen only by its bureau and the General Secretariat")
		}
	}
}

func noticeOwnerAct(denied string) rule {
	return func(a Actor, r Resource) Decision {
		if d := noticeVisible(a, r); !d.Allowed {
			return d
		}
		if a.Org == r.Owner && (a.Has(NCBOfficer) || (a.IsGS() && a.Has(GSReviewer))) {
			return allow("the requesting bureau's own notice")
		}
		return deny(denied)
	}
}

func noticeReviewerAct(denied string) rule {
	return func(a Actor, r Resource) Decision {
		if d := noticeVisible(a, r); !d.Allowed {
			return d
		}
		if a.IsGS() && a.Has(GSReviewer) {
			return allow("General Secretariat reviewers decide on notices")
		}
		return deny(denied)
	}
}

// DiffusionScope is which diffusions an actor may see, in a form that a
// list applies in its query (and so pages over) before policy decides on
// each diffusion: every one, or those one country sent or received.
type DiffusionScope struct {
	Every bool // every diffusion, for the General Secretariat's oversight
	// Country is the country whose sent and received diffusions (sent to
	// it by name, or to every member) the actor sees; "" for none.
	Country string
}

// DiffusionScopeOf is the scope of the diffusions that actor a may see. It
// is what diffusion.read allows: a list narrowed to it drops nothing that
// policy would show, and shows nothing that policy would hide.
func DiffusionScopeOf(a Actor) DiffusionScope {
	var s DiffusionScope
	if !a.Authenticated() {
		return s
	}
	s.Every = a.IsGS() && (a.Has(GSReviewer) || a.Has(DPO))
	if a.Has(NCBOfficer) {
		s.Country = a.Org
	}
	return s
}

// diffusionVisible: a diffusion is seen by its sender, its recipients (the
// Audience lists them, or "*" for every member) and, for oversight of what
// circulates without prior review, the General Secretariat's reviewers and
// data protection officer. Nobody else learns that it exists.
func diffusionVisible(a Actor, r Resource) Decision {
	s := DiffusionScopeOf(a)
	switch {
	case s.Country != "" && s.Country == r.Owner:
		return allow("the sending bureau")
	case s.Country != "" && r.Audience.Includes(s.Country):
		return allow("a recipient bureau")
	case s.Every:
		return allow("the General Secretariat oversees diffusions")
	default:
		return hide("a diffusion is seen only by its sender, its recipients and the General Secretariat")
	}
}
