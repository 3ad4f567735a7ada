//! `cairn user …` and `cairn token …`: account administration from the command
//! line, on the same store functions the Settings pages use. Passwords come
//! from standard input or `CAIRN_PASSWORD`, never from the command line (where
//! they would land in shell histories and process lists).

use std::io::BufRead;

use anyhow::{Context, bail};
use cairn_store::Store;

use crate::cli::{TokenArgs, TokenCommand, UserArgs, UserCommand};

fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("CAIRN_PASSWORD") {
        return Ok(password);
    }
    eprintln!("Password (then Enter):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn user_id(store: &Store, login: &str) -> anyhow::Result<String> {
    match store.user_by_login(login).await? {
        Some(user) => Ok(user.id),
        None => bail!("there is no user {login}"),
    }
}

pub async fn user(args: UserArgs) -> anyhow::Result<bool> {
    let store = Store::open(&args.db).await?;
    let outcome = run_user(&store, args.command).await;
    crate::shutdown::close_store(store).await;
    outcome.map(|()| true)
}

async fn run_user(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            login,
            name,
            groups,
        } => {
            let password = read_password()?;
            let name = name.unwrap_or_else(|| login.clone());
            store.create_user(&login, &name, &password, &groups).await?;
            store
                .audit(
                    None,
                    "user.create",
                    Some(&login),
                    Some("from the command line"),
                    None,
                )
                .await?;
            println!("added {login} ({})", groups.join(", "));
        }
        UserCommand::List => {
            for user in store.users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    user.login,
                    user.name,
                    user.groups.join(","),
                    if user.disabled { "disabled" } else { "active" }
                );
            }
        }
        UserCommand::Disable { login } => {
            store
                .set_user_disabled(&user_id(store, &login).await?, true)
                .await?;
            store
                .audit(
                    None,
                    "user.disable",
                    Some(&login),
                    Some("from the command line"),
                    None,
                )
                .await?;
            println!("disabled {login}; their sessions have ended");
        }
        UserCommand::Enable { login } => {
            store
                .set_user_disabled(&user_id(store, &login).await?, false)
                .await?;
            store
                .audit(
                    None,
                    "user.update",
                    Some(&login),
                    Some("enabled from the command line"),
                    None,
                )
                .await?;
            println!("enabled {login}");
        }
        UserCommand::ResetPassword { login } => {
            let id = user_id(store, &login).await?;
            let password = read_password()?;
            store.set_password(&id, &password).await?;
            store
                .audit(
                    None,
                    "user.password",
                    Some(&login),
                    Some("reset from the command line"),
                    None,
                )
                .await?;
            println!("new password set for {login}; their sessions have ended");
        }
    }
    Ok(())
}

pub async fn token(args: TokenArgs) -> anyhow::Result<bool> {
    let store = Store::open(&args.db).await?;
    let outcome = async {
        match args.command {
            TokenCommand::Create { login, name } => {
                let (secret, token) = store
                    .create_token(&user_id(&store, &login).await?, &name)
                    .await?;
                store
                    .audit(
                        None,
                        "token.create",
                        Some(&token.name),
                        Some(&format!("for {login}, from the command line")),
                        None,
                    )
                    .await?;
                eprintln!("API token `{}` for {login}; shown once:", token.name);
                println!("{secret}");
                anyhow::Ok(())
            }
        }
    }
    .await;
    crate::shutdown::close_store(store).await;
    outcome.map(|()| true)
}
