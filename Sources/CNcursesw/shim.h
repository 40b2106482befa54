#ifndef IDENTIKIT_CNCURSESW_SHIM_H
#define IDENTIKIT_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <pthread.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Globals and macros Swift cannot import (or cannot use in Swift 6 mode) as accessors. */
static inline WINDOW *ik_stdscr(void) { return stdscr; }
static inline int ik_lines(void) { return LINES; }
static inline int ik_cols(void) { return COLS; }
static inline attr_t ik_a_bold(void) { return A_BOLD; }
static inline attr_t ik_a_reverse(void) { return A_REVERSE; }
static inline attr_t ik_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ik_a_dim(void) { return A_DIM; }
static inline attr_t ik_a_normal(void) { return A_NORMAL; }
static inline attr_t ik_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline int ik_key_code_yes(void) { return KEY_CODE_YES; }
static inline mmask_t ik_mouse_mask(void) { return BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int ik_is_button1(mmask_t m) { return (m & BUTTON1_CLICKED) != 0; }
static inline int ik_is_wheel_up(mmask_t m) { return (m & BUTTON4_PRESSED) != 0; }
static inline int ik_is_wheel_down(mmask_t m) { return (m & BUTTON5_PRESSED) != 0; }
/* Termination signals only set a flag: the main loop sees it within one key timeout and restores
   the terminal outside the handler (endwin is not async-signal-safe). */
#include <signal.h>
static volatile sig_atomic_t ik_pending_signal = 0;
static inline void ik_on_signal(int sig) { ik_pending_signal = sig; }
static inline void ik_install_signal_handlers(void) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = ik_on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGQUIT, &action, NULL);
    /* A parent may have started us with signals blocked (a test runner's thread, a daemon): without
       SIGWINCH ncurses never sees a resize, without SIGTERM we could not be stopped cleanly. */
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
}
static inline int ik_signal_pending(void) { return ik_pending_signal; }

/* Draws one grapheme (as wide characters) at a position with attributes. */
static inline void ik_put(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    mvaddwstr(y, x, text);
}
#endif
