package translit

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestHangSearch(t *testing.T) {
	if os.Getenv("TL_HANG") == "" {
		t.Skip()
	}
	pool := []rune("abc '-ايوىةعأإلبدحسنيیوکگپهـًٌٍَُِّْٰדוויכבפשׁשׂאעִֵֶַָֹּ'ג׳राहुलशर्माक्ंँःािीुूेैोौ़ग김민준이각やまだたろうっーゃんゝ々〇张伟王東京สมชายจันทร์โอชาเแโใไะัาำิีึืุู็่้๊๋์กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮฤฦงเๆฯგიორგიᲒᲘჀⴀՀովհաննիսյանուեոևΑθηνάευαυμπντγκγγϊΐἀῥВладимирйёъьіїєґўђјљњћџѓќѕәғқңөұүһ\u0301\u0306\u0308")
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 2000000; iter++ {
		n := rng.Intn(12) + 1
		rs := make([]rune, n)
		for i := range rs {
			switch rng.Intn(4) {
			case 0:
				rs[i] = pool[rng.Intn(len(pool))]
			case 1:
				rs[i] = rune(rng.Intn(0x3100))
			case 2:
				rs[i] = rune(0x3000 + rng.Intn(0xD000))
			default:
				rs[i] = rune(0xE00 + rng.Intn(0x100))
			}
		}
		s := string(rs)
		done := make(chan bool, 1)
		go func() { Romanize(s); done <- true }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			fmt.Printf("HANG %q %U\n", s, rs)
			os.Exit(1)
		}
	}
}
