package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"net/url"

	"github.com/pquerna/otp"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
)

// preToken returns the pre-session token of the sign-in form, setting its
// cookie when the browser has none yet.
func preToken(c *call) string {
	if t := cookieValue(c.r, preCookie); len(t) >= 32 && len(t) <= 64 {
		return t
	}
	t := randomToken()
	setCookie(c.rw, c.r, preCookie, t, 0)
	return t
}

type signInData struct {
	Next string
}

func (w *Web) signInPage(c *call) {
	if c.sess != nil && !c.sess.secondFactor {
		http.Redirect(c.rw, c.r, safeNext(c.r.URL.Query().Get("next"), c.loc.Code), http.StatusSeeOther)
		return
	}
	w.renderSignIn(c, http.StatusOK, nil)
}

func (w *Web) renderSignIn(c *call, status int, errs map[string]string) {
	p := c.page("signin.title")
	p.Section = "workspace"
	p.CSRF = preToken(c)
	p.Data = signInData{Next: c.r.FormValue("next")}
	if errs != nil {
		p.Errors = errs
		p.Form.Set("username", c.r.PostFormValue("username"))
	}
	w.render(c, status, "signin", p)
}

// startSession replaces whatever session the browser had by a new one, so
// that an id planted before sign-in is worth nothing after it.
func (w *Web) startSession(c *call, u account.User, secondFactor bool) bool {
	if old := cookieValue(c.r, sessionCookie); old != "" {
		if err := w.sessions.end(c.ctx, old); err != nil {
			w.fail(c, err)
			return false
		}
	}
	id, err := w.sessions.create(c.ctx, u, secondFactor, httpx.ClientAddr(c.r))
	if err != nil {
		w.fail(c, err)
		return false
	}
	// A session cookie (no Max-Age): the server decides when it ends.
	setCookie(c.rw, c.r, sessionCookie, id, 0)
	return true
}

func (w *Web) signIn(c *call) {
	username, password := c.r.PostFormValue("username"), c.r.PostFormValue("password")
	if username == "" || password == "" {
		w.renderSignIn(c, http.StatusBadRequest, map[string]string{"_": c.loc.T("signin.missing")})
		return
	}
	u, err := w.svc.Accounts.Login(c.ctx, username, password)
	if err != nil {
		fe, ok := fault.As(err)
		if !ok {
			w.fail(c, err)
			return
		}
		status, _ := httpx.ErrorResponse(c.r, err)
		w.renderSignIn(c, status, map[string]string{"_": c.loc.faultText(fe)})
		return
	}
	next := safeNext(c.r.PostFormValue("next"), c.loc.Code)
	if !w.startSession(c, u, u.TOTP) {
		return
	}
	if u.TOTP {
		c.redirect("/workspace/sign-in/code?next=" + urlQueryEscape(next))
		return
	}
	http.Redirect(c.rw, c.r, next, http.StatusSeeOther)
}

func (w *Web) codePage(c *call) {
	if c.sess == nil || !c.sess.secondFactor {
		c.redirect("/workspace/sign-in")
		return
	}
	w.renderCode(c, http.StatusOK, nil)
}

func (w *Web) renderCode(c *call, status int, errs map[string]string) {
	p := c.page("signin.code_title")
	p.Section = "workspace"
	p.Data = signInData{Next: c.r.FormValue("next")}
	if errs != nil {
		p.Errors = errs
	}
	w.render(c, status, "signin_code", p)
}

func (w *Web) code(c *call) {
	if c.sess == nil || !c.sess.secondFactor {
		c.redirect("/workspace/sign-in")
		return
	}
	err := w.svc.Accounts.VerifyTOTP(c.ctx, c.sess.user, c.r.PostFormValue("code"))
	if fault.Is(err, fault.Invalid) {
		again, ferr := w.sessions.failCode(c.ctx, c.sess)
		if ferr != nil {
			w.fail(c, ferr)
			return
		}
		if !again {
			setCookie(c.rw, c.r, sessionCookie, "", -1)
			w.renderSignIn(c, http.StatusUnauthorized, map[string]string{"_": c.loc.T("signin.too_many_codes")})
			return
		}
		w.renderCode(c, http.StatusBadRequest, map[string]string{"code": c.loc.T("fault.invalid_code")})
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	if !w.startSession(c, c.sess.user, false) {
		return
	}
	http.Redirect(c.rw, c.r, safeNext(c.r.PostFormValue("next"), c.loc.Code), http.StatusSeeOther)
}

func (w *Web) signOut(c *call) {
	if err := w.sessions.end(c.ctx, cookieValue(c.r, sessionCookie)); err != nil {
		w.fail(c, err)
		return
	}
	if err := w.svc.Journal.Record(c.ctx, signOutEntry(c.ctx, c.sess.user)); err != nil {
		w.fail(c, err)
		return
	}
	setCookie(c.rw, c.r, sessionCookie, "", -1)
	c.redirect("/?done=signed_out")
}

// securityData is the second-factor page.
type securityData struct {
	Enabled bool
	// During enrolment: the secret to confirm and its QR code.
	Secret string
	QR     template.URL
}

func (w *Web) security(c *call) {
	p := c.page("security.title")
	p.Section = "security"
	p.Data = securityData{Enabled: c.sess.user.TOTP}
	w.render(c, http.StatusOK, "security", p)
}

// totpStart shows a new secret as a QR code for the authenticator app.
func (w *Web) totpStart(c *call) {
	key, err := w.svc.Accounts.NewTOTPKey(c.ctx, c.actor(), c.sess.user.Username)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.renderEnrol(c, http.StatusOK, key.URL(), key.Secret(), nil)
}

func (w *Web) renderEnrol(c *call, status int, keyURL, secret string, errs map[string]string) {
	qr, err := qrDataURL(keyURL)
	if err != nil {
		w.fail(c, err)
		return
	}
	p := c.page("security.title")
	p.Section = "security"
	p.Data = securityData{Secret: secret, QR: qr}
	if errs != nil {
		p.Errors = errs
	}
	w.render(c, status, "security", p)
}

// qrDataURL renders the otpauth:// URL as a PNG QR code inline in the page
// (the Content-Security-Policy allows data: images), so that the secret is
// never in a URL that proxies or browser history would keep.
func qrDataURL(keyURL string) (template.URL, error) {
	key, err := otpKey(keyURL)
	if err != nil {
		return "", err
	}
	img, err := key.Image(220, 220)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	// template.URL: the value is built here from our own PNG bytes.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

func (w *Web) totpConfirm(c *call) {
	secret := c.r.PostFormValue("secret")
	err := w.svc.Accounts.EnableTOTP(c.ctx, c.actor(), c.sess.user.Username, secret, c.r.PostFormValue("code"))
	if errs, ok := fieldErrors(err, sameField, c.loc.faultText); ok {
		keyURL := totpURL(c.sess.user.Username, secret)
		w.renderEnrol(c, http.StatusBadRequest, keyURL, secret, errs)
		return
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/security?done=totp_on")
}

func (w *Web) totpRemove(c *call) {
	// Removing the second factor takes a current code, so that a browser
	// left signed in is not enough to weaken the account.
	if err := w.svc.Accounts.VerifyTOTP(c.ctx, c.sess.user, c.r.PostFormValue("code")); err != nil {
		if fault.Is(err, fault.Invalid) || fault.Is(err, fault.Unauthorized) {
			p := c.page("security.title")
			p.Section = "security"
			p.Data = securityData{Enabled: c.sess.user.TOTP}
			p.Errors = map[string]string{"code": c.loc.T("fault.invalid_code")}
			w.render(c, http.StatusBadRequest, "security", p)
			return
		}
		w.fail(c, err)
		return
	}
	if err := w.svc.Accounts.DisableTOTP(c.ctx, c.actor(), c.sess.user.Username); err != nil {
		w.fail(c, err)
		return
	}
	c.redirect("/workspace/security?done=totp_off")
}

// totpURL rebuilds the otpauth:// URL of an enrolment whose first attempt
// failed, so that the same QR code shows again.
func totpURL(username, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", "relais")
	v.Set("period", "30")
	v.Set("digits", "6")
	v.Set("algorithm", "SHA1")
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/relais:" + username, RawQuery: v.Encode()}).String()
}

func otpKey(keyURL string) (*otp.Key, error) { return otp.NewKeyFromURL(keyURL) }
