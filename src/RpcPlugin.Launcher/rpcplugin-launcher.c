/*
 * rpcplugin-launcher: starts one plugin for RpcPlugin and makes sure nothing it started outlives it (Linux).
 *
 *   rpcplugin-launcher CONTROL_FD SOCKET_DIR PLUGIN [ARGUMENT...]
 *
 * The launcher becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so every descendant of the plugin that loses
 * its parent is re-parented to the launcher rather than to init, whatever it did to leave the plugin's process
 * group or session (setpgid, setsid, a double fork). It starts the plugin in a process group of its own, with
 * its own standard streams, working directory and environment, and reports its pid. When the plugin exits, when
 * RpcPlugin asks, or when RpcPlugin's end of the control socket closes (PowerShell exited or was killed), it kills
 * every process still below it, reaps them all (a zombie is still a process), removes the plugin's socket and
 * RpcPlugin's private socket directory, and exits with the plugin's exit code (128 + N for signal N).
 *
 * Control socket (CONTROL_FD, a stream socket; lines end with '\n'):
 *   launcher -> RpcPlugin: "ok PID" once the plugin runs, or "error ERRNO" when it could not be started.
 *   RpcPlugin -> launcher: "t" (send the plugin SIGTERM), "k" (kill everything now), "s PATH" (the plugin's
 *                          socket: removed at the end if it is a socket). End of file means "k".
 * SOCKET_DIR is removed recursively at the end; "" for none.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

extern char **environ;

static int control = -1;
static pid_t plugin = -1;
static int plugin_status = -1; /* the waitpid status once the plugin is reaped */
static char socket_path[4096];

/* Writes "WORD NUMBER\n" to the control socket. */
static void say(const char *word, long number)
{
    char line[64];
    size_t n = strlen(word);
    memcpy(line, word, n);
    line[n++] = ' ';
    char digits[24];
    int d = 0;
    unsigned long value = number < 0 ? (unsigned long)-number : (unsigned long)number;
    do {
        digits[d++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    if (number < 0)
        line[n++] = '-';
    while (d > 0)
        line[n++] = digits[--d];
    line[n++] = '\n';
    (void)send(control, line, n, MSG_NOSIGNAL);
}

/* Reaps every child that has exited, remembering the plugin's status. */
static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == plugin)
            plugin_status = status;
    }
}

static int plugin_running(void)
{
    return plugin > 0 && plugin_status == -1;
}

/* Reads the parent pid from /proc/PID/stat ("pid (comm) state ppid ..."; comm may hold anything). */
static pid_t parent_of(const char *pid)
{
    char path[64], text[512];
    size_t digits = strlen(pid);
    if (digits > 20)
        return -1;
    memcpy(path, "/proc/", 6);
    memcpy(path + 6, pid, digits);
    memcpy(path + 6 + digits, "/stat", 6);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    char *close_paren = strrchr(text, ')');
    if (close_paren == NULL || close_paren[1] == '\0' || close_paren[2] == '\0')
        return -1;
    return (pid_t)strtol(close_paren + 3, NULL, 10); /* skip ") S " */
}

/*
 * Sends SIGKILL to every process below the launcher, found by walking parent pids in /proc; returns how many.
 * None of them can be reaped (and its pid reused) meanwhile: only the launcher reaps its children, and a
 * grandchild's pid stays taken until its own parent reaps it.
 */
static int kill_descendants(void)
{
    size_t count = 0, capacity = 256;
    pid_t *pids = malloc(capacity * sizeof *pids), *parents = malloc(capacity * sizeof *parents);
    char *below = NULL;
    int killed = 0;
    DIR *proc = opendir("/proc");
    if (pids == NULL || parents == NULL || proc == NULL)
        goto done;
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        pid_t parent = parent_of(entry->d_name);
        if (parent <= 0)
            continue;
        if (count == capacity) {
            capacity *= 2;
            pid_t *p = realloc(pids, capacity * sizeof *pids), *q = realloc(parents, capacity * sizeof *parents);
            if (p != NULL)
                pids = p;
            if (q != NULL)
                parents = q;
            if (p == NULL || q == NULL)
                goto done;
        }
        pids[count] = (pid_t)strtol(entry->d_name, NULL, 10);
        parents[count++] = parent;
    }

    below = calloc(count + 1, 1);
    if (below == NULL)
        goto done;
    pid_t self = getpid();
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < count; i++) {
            if (below[i])
                continue;
            int under = parents[i] == self;
            for (size_t j = 0; !under && j < count; j++)
                under = below[j] && pids[j] == parents[i];
            if (under) {
                below[i] = 1;
                changed = 1;
            }
        }
    }

    for (size_t i = 0; i < count; i++) {
        if (below[i] && kill(pids[i], SIGKILL) == 0)
            killed++;
    }

done:
    if (proc != NULL)
        closedir(proc);
    free(below);
    free(pids);
    free(parents);
    return killed;
}

/* Kills and reaps everything below the launcher until it has no child left. */
static void end_everything(int signals)
{
    for (;;) {
        kill_descendants();
        reap();
        if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
            return;
        /* Some are still dying, or orphans are still being re-parented to us: wait for the next SIGCHLD. */
        struct pollfd wake = { .fd = signals, .events = POLLIN };
        if (poll(&wake, 1, 20) > 0) {
            struct signalfd_siginfo info;
            while (read(signals, &info, sizeof info) == sizeof info) {
            }
        }
    }
}

static int remove_entry(const char *path, const struct stat *status, int type, struct FTW *walk)
{
    (void)status;
    (void)walk;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void remove_files(const char *socket_dir)
{
    struct stat status;
    if (socket_path[0] != '\0' && lstat(socket_path, &status) == 0 && S_ISSOCK(status.st_mode))
        unlink(socket_path);
    if (socket_dir[0] != '\0')
        nftw(socket_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Handles the complete lines in buffer; returns 1 when RpcPlugin asked to kill everything. */
static int handle_commands(char *buffer, size_t *length)
{
    int kill_all = 0;
    char *start = buffer, *end;
    while ((end = memchr(start, '\n', *length - (size_t)(start - buffer))) != NULL) {
        *end = '\0';
        if (start[0] == 't' && plugin_running())
            kill(plugin, SIGTERM);
        else if (start[0] == 'k')
            kill_all = 1;
        else if (start[0] == 's' && start[1] == ' ' && strlen(start + 2) < sizeof socket_path)
            strcpy(socket_path, start + 2);
        start = end + 1;
    }
    *length -= (size_t)(start - buffer);
    memmove(buffer, start, *length);
    if (*length == 4096) /* a line longer than any command: drop it */
        *length = 0;
    return kill_all;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 125;
    control = (int)strtol(argv[1], NULL, 10);
    const char *socket_dir = argv[2];
    fcntl(control, F_SETFD, FD_CLOEXEC); /* the plugin must not hold RpcPlugin's line to us */

    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);

    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGHUP);
    sigaddset(&handled, SIGQUIT);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    int signals = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);

    /* The plugin gets what RpcPlugin would have given it: its own group, default signals, an empty mask. */
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    int error = signals < 0 ? errno : posix_spawn(&plugin, argv[3], NULL, &attributes, argv + 3, environ);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
        say("error", error);
        return 127;
    }

    say("ok", plugin);

    char buffer[4096];
    size_t length = 0;
    int kill_all = 0;
    while (plugin_running() && !kill_all) {
        struct pollfd waits[2] = { { .fd = control, .events = POLLIN }, { .fd = signals, .events = POLLIN } };
        if (poll(waits, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }

        if (waits[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signals, &info, sizeof info) == sizeof info) {
                if (info.ssi_signo == SIGTERM && plugin_running())
                    kill(plugin, SIGTERM); /* a stop of the launcher is a stop of its plugin */
            }
            reap();
        }

        if (waits[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(control, buffer + length, sizeof buffer - length);
            if (n <= 0 && !(n < 0 && errno == EINTR)) {
                kill_all = 1; /* RpcPlugin is gone, or let go of us */
            } else if (n > 0) {
                length += (size_t)n;
                kill_all = handle_commands(buffer, &length);
            }
        }
    }

    end_everything(signals);
    remove_files(socket_dir);
    int code = plugin_status == -1 ? 128 + SIGKILL
        : WIFEXITED(plugin_status) ? WEXITSTATUS(plugin_status)
        : 128 + WTERMSIG(plugin_status);
    return code;
}
