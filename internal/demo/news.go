package demo

import (
	"context"
	"fmt"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/policy"
)

// demoRelease is a media release of the demonstration data.
type demoRelease struct {
	date     string
	versions []newsroom.Version
}

var demoReleases = []demoRelease{
	{date: "2026-02-12", versions: []newsroom.Version{
		{Lang: "en", Place: "Lyon", Title: "Operation Pandora: 52 arrests and 3,400 cultural goods recovered",
			Body: "Police and customs in 27 member countries took part in a coordinated operation against the trafficking of cultural goods.\n\nArchaeological objects, paintings and coins were seized at borders, in auction houses and online. Checks against the database of stolen works of art led to 52 arrests.\n\nThe operation was coordinated through the National Central Bureaus, which exchanged information through relais."},
		{Lang: "fr", Place: "Lyon", Title: "Opération Pandora : 52 arrestations et 3 400 biens culturels retrouvés",
			Body: "Les polices et douanes de 27 pays membres ont participé à une opération coordonnée contre le trafic de biens culturels.\n\nDes objets archéologiques, des tableaux et des monnaies ont été saisis aux frontières, dans des maisons de vente et en ligne. Les vérifications dans la base des œuvres d'art volées ont permis 52 arrestations.\n\nL'opération a été coordonnée par les Bureaux centraux nationaux, qui ont échangé leurs informations par relais."},
		{Lang: "es", Place: "Lyon", Title: "Operación Pandora: 52 detenciones y 3.400 bienes culturales recuperados",
			Body: "Las policías y aduanas de 27 países miembros participaron en una operación coordinada contra el tráfico de bienes culturales.\n\nSe incautaron objetos arqueológicos, pinturas y monedas en fronteras, casas de subastas y en línea. Las consultas en la base de datos de obras de arte robadas permitieron 52 detenciones."},
		{Lang: "ar", Place: "ليون", Title: "عملية باندورا: 52 عملية توقيف واسترداد 3400 قطعة من الممتلكات الثقافية",
			Body: "شاركت أجهزة الشرطة والجمارك في 27 بلدا عضوا في عملية منسقة لمكافحة الاتجار بالممتلكات الثقافية.\n\nضُبطت قطع أثرية ولوحات وعملات عند الحدود وفي دور المزادات وعلى الإنترنت. وأدت عمليات التحقق في قاعدة بيانات الأعمال الفنية المسروقة إلى 52 عملية توقيف."},
	}},
	{date: "2026-03-03", versions: []newsroom.Version{
		{Lang: "en", Place: "Lyon", Title: "Stolen and lost travel documents: border checks pass one billion a year",
			Body: "Member countries now check passports against the database of stolen and lost travel documents more than one billion times a year.\n\nEach check takes a few milliseconds. When a document is found, both the country that reported it and the country that checked it are told at once."},
		{Lang: "fr", Place: "Lyon", Title: "Documents de voyage volés et perdus : plus d'un milliard de contrôles par an",
			Body: "Les pays membres vérifient désormais les passeports dans la base des documents de voyage volés et perdus plus d'un milliard de fois par an.\n\nChaque contrôle prend quelques millisecondes. Lorsqu'un document est retrouvé, le pays qui l'a signalé et celui qui l'a contrôlé en sont informés immédiatement."},
	}},
	{date: "2026-03-18", versions: []newsroom.Version{
		{Lang: "es", Place: "Buenos Aires", Title: "Conferencia regional de las Américas: cooperación contra la trata de personas",
			Body: "Los Jefes de las Oficinas Centrales Nacionales de las Américas se reunieron en Buenos Aires para reforzar la cooperación contra la trata de personas.\n\nLos participantes acordaron compartir más rápidamente las notificaciones amarillas de personas desaparecidas."},
		{Lang: "en", Place: "Buenos Aires", Title: "Americas Regional Conference: cooperation against human trafficking",
			Body: "The Heads of National Central Bureaus of the Americas met in Buenos Aires to strengthen cooperation against human trafficking.\n\nParticipants agreed to share Yellow Notices for missing persons more quickly."},
		{Lang: "ar", Place: "بوينس آيرس", Title: "المؤتمر الإقليمي للأمريكتين: التعاون لمكافحة الاتجار بالبشر",
			Body: "اجتمع رؤساء المكاتب المركزية الوطنية في الأمريكتين في بوينس آيرس لتعزيز التعاون في مكافحة الاتجار بالبشر.\n\nواتفق المشاركون على تبادل النشرات الصفراء الخاصة بالأشخاص المفقودين بسرعة أكبر."},
	}},
}

// SeedNews publishes the demonstration media releases, as the press office,
// on a store that has no media release yet, and says how many it published.
func SeedNews(ctx context.Context, accounts *account.Service, news *newsroom.Service) (int, error) {
	press, err := accounts.Get(ctx, policy.Console, "press")
	if err != nil {
		return 0, fmt.Errorf("demo media releases: the press account: %w", err)
	}
	by := press.Actor()
	existing, _, err := news.List(ctx, by, newsroom.Filter{State: "any", Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("demo media releases: %w", err)
	}
	if len(existing) > 0 {
		return 0, nil
	}
	for _, dr := range demoReleases {
		r, err := news.Create(ctx, by, dr.date, dr.versions[0])
		if err != nil {
			return 0, fmt.Errorf("demo media release %q: %w", dr.versions[0].Title, err)
		}
		for _, v := range dr.versions[1:] {
			if err := news.SetVersion(ctx, by, r.ID, v); err != nil {
				return 0, fmt.Errorf("demo media release %q (%s): %w", dr.versions[0].Title, v.Lang, err)
			}
		}
		if err := news.Publish(ctx, by, r.ID); err != nil {
			return 0, fmt.Errorf("demo media release %q: %w", dr.versions[0].Title, err)
		}
	}
	return len(demoReleases), nil
}
