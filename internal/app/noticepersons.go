package app

import (
	"context"
	"strconv"

	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/screening"
)

// noticePersons is the persons of published notices as a screening person
// source: a notice enters the index when it is published and leaves it when
// it is cancelled or withdrawn (each of these appends a "notice" change).
type noticePersons struct{ notices *notice.Service }

func (noticePersons) Kind() string              { return notice.Kind }
func (noticePersons) ReadAction() policy.Action { return policy.NoticeScreenMatch }

func (s noticePersons) All(ctx context.Context, fn func(screening.ListedPerson) error) error {
	subjects, err := s.notices.PublishedPersons(ctx)
	if err != nil {
		return err
	}
	for _, sub := range subjects {
		if err := fn(listedNotice(sub)); err != nil {
			return err
		}
	}
	return nil
}

// Get returns the person of a published notice; a notice that is not
// published (or not about a person, or not a notice id) is not screened.
func (s noticePersons) Get(ctx context.Context, id string) (screening.ListedPerson, bool, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return screening.ListedPerson{}, false, nil
	}
	subjects, err := s.notices.PublishedPersons(ctx, n)
	if err != nil || len(subjects) == 0 {
		return screening.ListedPerson{}, false, err
	}
	return listedNotice(subjects[0]), true, nil
}

func listedNotice(sub notice.ScreeningSubject) screening.ListedPerson {
	id := strconv.FormatInt(sub.NoticeID, 10)
	// The name index weighs one nationality; a subject with several would be
	// marked down for a query that gives another of them, so several count
	// as none.
	var nationality string
	if len(sub.Nationalities) == 1 {
		nationality = sub.Nationalities[0]
	}
	return screening.ListedPerson{Kind: notice.Kind, ID: id, Owner: sub.Owner, Audience: sub.Audience,
		Person: names.Person{ID: id, Name: sub.Name, Aliases: sub.Aliases, BirthDate: sub.BirthDate, Nationality: nationality, Sex: sub.Sex}}
}
